// JPEG re-encoding for GazettePDF's pictures, with libjpeg-turbo. libjpeg reports errors by calling a function that
// must not return; these wrappers catch them with setjmp in C, so that no longjmp ever crosses a Swift frame.
#ifndef GAZETTE_JPEG_H
#define GAZETTE_JPEG_H

#include <stddef.h>

typedef struct {
    unsigned char *data;   // the encoded JPEG (free with gz_jpeg_free)
    unsigned long size;
    int width;
    int height;
    int components;        // 1 grey, 3 colour
    char message[200];     // why it failed
} gz_jpeg_output;

// Decodes `input` reduced by scale_num/8 (1…8; libjpeg-turbo's DCT scaling: the full-size image is never in memory)
// and encodes it again as a baseline JPEG of `quality`, row by row. CMYK (Adobe's inverted or plain) becomes RGB.
// Returns 0 on success.
int gz_jpeg_transcode(const unsigned char *input, unsigned long input_size, int scale_num, int quality,
                      gz_jpeg_output *output);

// Encodes `height` rows of `width` RGB pixels (3 bytes each, rows `stride` bytes apart) as a baseline JPEG.
int gz_jpeg_encode_rgb(const unsigned char *rgb, int width, int height, size_t stride, int quality,
                       gz_jpeg_output *output);

void gz_jpeg_free(gz_jpeg_output *output);

#endif
