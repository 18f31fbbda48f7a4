#include "gazette_jpeg.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>

typedef struct {
    struct jpeg_error_mgr base;
    jmp_buf *jump;
    char *message;
} gz_error;

static void gz_error_exit(j_common_ptr info) {
    gz_error *error = (gz_error *)info->err;
    char text[JMSG_LENGTH_MAX];
    (*info->err->format_message)(info, text);
    snprintf(error->message, 200, "%s", text);
    longjmp(*error->jump, 1);
}

// Warnings (a damaged stream libjpeg can still read) are not printed; the caller decides from the result.
static void gz_output_message(j_common_ptr info) { (void)info; }

static void gz_start_compress(struct jpeg_compress_struct *out, gz_jpeg_output *output, int width, int height,
                              int components, int quality) {
    jpeg_mem_dest(out, &output->data, &output->size);
    out->image_width = (JDIMENSION)width;
    out->image_height = (JDIMENSION)height;
    out->input_components = components;
    out->in_color_space = components == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_set_defaults(out);
    jpeg_set_quality(out, quality, TRUE);
    jpeg_start_compress(out, TRUE);
    output->width = width;
    output->height = height;
    output->components = components;
}

int gz_jpeg_transcode(const unsigned char *input, unsigned long input_size, int scale_num, int quality,
                      gz_jpeg_output *output) {
    memset(output, 0, sizeof(*output));
    struct jpeg_decompress_struct in;
    struct jpeg_compress_struct out;
    gz_error in_error, out_error;
    jmp_buf jump;
    // Assigned after setjmp and used after a longjmp: volatile, so they are not kept in registers.
    JSAMPLE *volatile row = NULL;
    JSAMPLE *volatile converted = NULL;

    in.err = jpeg_std_error(&in_error.base);
    in_error.base.error_exit = gz_error_exit;
    in_error.base.output_message = gz_output_message;
    in_error.message = output->message;
    in_error.jump = &jump;
    out.err = jpeg_std_error(&out_error.base);
    out_error.base.error_exit = gz_error_exit;
    out_error.base.output_message = gz_output_message;
    out_error.message = output->message;
    out_error.jump = &jump;
    jpeg_create_decompress(&in);
    jpeg_create_compress(&out);
    if (setjmp(jump)) {
        jpeg_destroy_decompress(&in);
        jpeg_destroy_compress(&out);
        free(row);
        free(converted);
        free(output->data);
        output->data = NULL;
        output->size = 0;
        return 1;
    }
    jpeg_mem_src(&in, input, input_size);
    jpeg_read_header(&in, TRUE);
    in.scale_num = (unsigned int)(scale_num < 1 ? 1 : scale_num > 8 ? 8 : scale_num);
    in.scale_denom = 8;
    int cmyk = in.jpeg_color_space == JCS_CMYK || in.jpeg_color_space == JCS_YCCK;
    if (cmyk) {
        in.out_color_space = JCS_CMYK;
    } else if (in.num_components == 1) {
        in.out_color_space = JCS_GRAYSCALE;
    } else {
        in.out_color_space = JCS_RGB;
    }
    jpeg_start_decompress(&in);
    int components = in.out_color_space == JCS_GRAYSCALE ? 1 : 3;
    row = malloc((size_t)in.output_width * (size_t)in.output_components);
    if (cmyk) converted = malloc((size_t)in.output_width * 3);
    if (row == NULL || (cmyk && converted == NULL)) {
        snprintf(output->message, 200, "out of memory");
        longjmp(jump, 1);
    }
    gz_start_compress(&out, output, (int)in.output_width, (int)in.output_height, components, quality);
    // Adobe's CMYK JPEGs store inverted values (255 = no ink); others store ink amounts.
    int inverted = in.saw_Adobe_marker;
    while (in.output_scanline < in.output_height) {
        JSAMPROW rows[1] = { (JSAMPROW)row };
        jpeg_read_scanlines(&in, rows, 1);
        if (cmyk) {
            for (JDIMENSION x = 0; x < in.output_width; x++) {
                int c = row[4 * x], m = row[4 * x + 1], y = row[4 * x + 2], k = row[4 * x + 3];
                if (!inverted) { c = 255 - c; m = 255 - m; y = 255 - y; k = 255 - k; }
                converted[3 * x] = (JSAMPLE)(c * k / 255);
                converted[3 * x + 1] = (JSAMPLE)(m * k / 255);
                converted[3 * x + 2] = (JSAMPLE)(y * k / 255);
            }
            rows[0] = (JSAMPROW)converted;
        }
        jpeg_write_scanlines(&out, rows, 1);
    }
    jpeg_finish_compress(&out);
    jpeg_finish_decompress(&in);
    jpeg_destroy_compress(&out);
    jpeg_destroy_decompress(&in);
    free(row);
    free(converted);
    return 0;
}

int gz_jpeg_encode_rgb(const unsigned char *rgb, int width, int height, size_t stride, int quality,
                       gz_jpeg_output *output) {
    memset(output, 0, sizeof(*output));
    struct jpeg_compress_struct out;
    gz_error error;
    jmp_buf jump;
    out.err = jpeg_std_error(&error.base);
    error.base.error_exit = gz_error_exit;
    error.base.output_message = gz_output_message;
    error.message = output->message;
    error.jump = &jump;
    jpeg_create_compress(&out);
    if (setjmp(jump)) {
        jpeg_destroy_compress(&out);
        free(output->data);
        output->data = NULL;
        output->size = 0;
        return 1;
    }
    gz_start_compress(&out, output, width, height, 3, quality);
    while (out.next_scanline < out.image_height) {
        JSAMPROW rows[1] = { (JSAMPROW)(rgb + (size_t)out.next_scanline * stride) };
        jpeg_write_scanlines(&out, rows, 1);
    }
    jpeg_finish_compress(&out);
    jpeg_destroy_compress(&out);
    return 0;
}

void gz_jpeg_free(gz_jpeg_output *output) {
    free(output->data);
    output->data = NULL;
    output->size = 0;
}
