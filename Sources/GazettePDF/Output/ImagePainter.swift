import CPangoCairo
import CWebP
import CJPEGCodec
#if canImport(Glibc)
import Glibc
#endif

/// Turns an accepted picture into a cairo surface and paints it into its box on the PDF page.
///
/// - JPEG goes in as it is: a surface of the JPEG's pixel size carries the file as `CAIRO_MIME_TYPE_JPEG`, which
///   cairo's PDF backend writes as a `DCTDecode` image without re-encoding. The surface's own pixels are never
///   touched (the allocator hands out zero pages, so they cost no memory). A JPEG much larger than its box
///   (`targetWidth`), a CMYK or an arithmetic-coded one is re-encoded first by libjpeg-turbo, reduced by its DCT
///   scaling while decoding, row by row.
/// - PNG is decoded by cairo and reduced with cairo when much larger than its box.
/// - WebP is decoded by libwebp (scaled while decoding): a lossy one without transparency (a photo) becomes a JPEG,
///   which keeps it small in the PDF; others go straight into the surface's pixels.
/// - `CAIRO_MIME_TYPE_UNIQUE_ID` names the bytes, so a picture used twice is embedded once.
enum ImagePainter {
    /// Pixels per inch a picture is reduced to when it has more than `1.5 ×` this at its size on the page.
    static let targetPPI = 200.0
    static let downscaleAbove = 1.5
    /// Quality of the JPEGs the renderer encodes itself (reductions, CMYK, WebP photos).
    static let jpegQuality: Int32 = 85

    /// The width in pixels a picture drawn `points` wide is reduced to, or nil when `pixels` is fine as it is.
    static func targetWidth(pixels: Int, points: Double) -> Int? {
        let wanted = (points * targetPPI / 72).rounded(.up)
        guard Double(pixels) > wanted * downscaleAbove, wanted >= 1 else { return nil }
        return Int(wanted)
    }

    /// Paints `image` into `rect`: the surface, which the caller destroys once the page is written, or the reason
    /// when the picture cannot be decoded after all. The pixels are chosen for a box `pixelsForWidth` points wide (the
    /// picture's size before the paginator drew it smaller to keep it on its page), so shrinking never changes them.
    static func paint(_ image: ResolvedImage, in rect: Rect, pixelsForWidth: Double, on cr: OpaquePointer) -> Result<OpaquePointer, PDFImageSkip.Reason> {
        let surface: OpaquePointer
        switch makeSurface(image, drawnWidth: pixelsForWidth) {
        case .success(let made): surface = made
        case .failure(let reason): return .failure(reason)
        }
        if let id = strdup("gazette-image-\(image.identity)") {
            cairo_surface_set_mime_data(surface, CAIRO_MIME_TYPE_UNIQUE_ID, id, UInt(strlen(id)), free, id)
        }
        let width = Double(cairo_image_surface_get_width(surface))
        let height = Double(cairo_image_surface_get_height(surface))
        cairo_save(cr)
        cairo_translate(cr, rect.x, rect.y)
        cairo_scale(cr, rect.width / width, rect.height / height)
        cairo_set_source_surface(cr, surface, 0, 0)
        cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD)
        cairo_paint(cr)
        cairo_restore(cr)
        return .success(surface)
    }

    static func makeSurface(_ image: ResolvedImage, drawnWidth: Double) -> Result<OpaquePointer, PDFImageSkip.Reason> {
        let info = image.info
        let target = targetWidth(pixels: info.width, points: drawnWidth)
        switch info.format {
        case .jpeg:
            if target == nil, info.jpegPassThrough { return jpegSurface(image.bytes, width: info.width, height: info.height) }
            return transcodedJPEG(image.bytes, width: info.width, targetWidth: target)
        case .png:
            return pngSurface(image.bytes).flatMap { surface in
                guard let target else { return .success(surface) }
                defer { cairo_surface_destroy(surface) }
                return downscaled(surface, width: target)
            }
        case .webp:
            if info.webpOpaqueLossy { return webpAsJPEG(image.bytes, info: info, targetWidth: target) }
            return webpSurface(image.bytes, info: info, targetWidth: target)
        }
    }

    // MARK: JPEG

    static func jpegSurface(_ bytes: [UInt8], width: Int, height: Int) -> Result<OpaquePointer, PDFImageSkip.Reason> {
        guard let surface = untouchedSurface(width: width, height: height) else {
            return .failure(.corrupt("no surface of \(width) × \(height) pixels"))
        }
        guard let copy = malloc(bytes.count) else {
            cairo_surface_destroy(surface)
            return .failure(.corrupt("out of memory"))
        }
        bytes.withUnsafeBytes { _ = memcpy(copy, $0.baseAddress!, bytes.count) }
        let status = cairo_surface_set_mime_data(surface, CAIRO_MIME_TYPE_JPEG, copy.assumingMemoryBound(to: UInt8.self),
                                                 UInt(bytes.count), free, copy)
        guard status == CAIRO_STATUS_SUCCESS else {
            free(copy)
            cairo_surface_destroy(surface)
            return .failure(.corrupt(String(cString: cairo_status_to_string(status))))
        }
        return .success(surface)
    }

    /// Key of the user data that unmaps an `untouchedSurface`'s pixels. A C handle: cairo only compares its address.
    nonisolated(unsafe) private static let mappedPixelsKey = UnsafeMutablePointer<cairo_user_data_key_t>.allocate(capacity: 1)

    /// An RGB24 surface whose pixels are fresh anonymous pages, unmapped with the surface. Nothing reads or writes
    /// them (cairo writes the JPEG attached to it), so they never become resident: a 1280 × 853 photo's 4.4 MB of
    /// pixels cost no memory. (`cairo_image_surface_create` would take them from the heap, which clears reused memory.)
    static func untouchedSurface(width: Int, height: Int) -> OpaquePointer? {
        let stride = Int(cairo_format_stride_for_width(CAIRO_FORMAT_RGB24, Int32(width)))
        let length = stride * height
        guard stride > 0, length > 0 else { return nil }
        guard let pixels = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0),
              pixels != MAP_FAILED else { return nil }
        guard let surface = cairo_image_surface_create_for_data(pixels.assumingMemoryBound(to: UInt8.self), CAIRO_FORMAT_RGB24,
                                                                Int32(width), Int32(height), Int32(stride)),
              cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS else {
            munmap(pixels, length)
            return nil
        }
        let mapping = UnsafeMutablePointer<(UnsafeMutableRawPointer, Int)>.allocate(capacity: 1)
        mapping.initialize(to: (pixels, length))
        let status = cairo_surface_set_user_data(surface, mappedPixelsKey, mapping) { raw in
            guard let mapping = raw?.assumingMemoryBound(to: (UnsafeMutableRawPointer, Int).self) else { return }
            munmap(mapping.pointee.0, mapping.pointee.1)
            mapping.deallocate()
        }
        guard status == CAIRO_STATUS_SUCCESS else {
            cairo_surface_destroy(surface)
            munmap(pixels, length)
            mapping.deallocate()
            return nil
        }
        return surface
    }

    /// The scale libjpeg-turbo decodes at: the smallest n/8 that still gives `targetWidth` pixels (8/8 without one).
    static func jpegScale(width: Int, targetWidth: Int?) -> Int32 {
        guard let targetWidth else { return 8 }
        for numerator in 1...8 where (width * numerator + 7) / 8 >= targetWidth { return Int32(numerator) }
        return 8
    }

    static func transcodedJPEG(_ bytes: [UInt8], width: Int, targetWidth: Int?) -> Result<OpaquePointer, PDFImageSkip.Reason> {
        var output = gz_jpeg_output()
        let status = bytes.withUnsafeBufferPointer {
            gz_jpeg_transcode($0.baseAddress, UInt($0.count), jpegScale(width: width, targetWidth: targetWidth), jpegQuality, &output)
        }
        defer { gz_jpeg_free(&output) }
        guard status == 0, let data = output.data else { return .failure(.corrupt(message(of: &output))) }
        let encoded = Array(UnsafeBufferPointer(start: data, count: Int(output.size)))
        return jpegSurface(encoded, width: Int(output.width), height: Int(output.height))
    }

    private static func message(of output: inout gz_jpeg_output) -> String {
        withUnsafeBytes(of: &output.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }

    // MARK: PNG

    /// The bytes cairo's PNG reader pulls from.
    private final class ByteSource {
        let bytes: [UInt8]
        var offset = 0
        init(_ bytes: [UInt8]) { self.bytes = bytes }
    }

    static func pngSurface(_ bytes: [UInt8]) -> Result<OpaquePointer, PDFImageSkip.Reason> {
        let source = ByteSource(bytes)
        let surface: OpaquePointer? = withExtendedLifetime(source) {
            cairo_image_surface_create_from_png_stream({ closure, data, length in
                guard let closure, let data else { return CAIRO_STATUS_READ_ERROR }
                let source = Unmanaged<ByteSource>.fromOpaque(closure).takeUnretainedValue()
                let count = Int(length)
                guard source.bytes.count - source.offset >= count else { return CAIRO_STATUS_READ_ERROR }
                source.bytes.withUnsafeBufferPointer { buffer in
                    _ = memcpy(data, buffer.baseAddress! + source.offset, count)
                }
                source.offset += count
                return CAIRO_STATUS_SUCCESS
            }, Unmanaged.passUnretained(source).toOpaque())
        }
        guard let surface else { return .failure(.corrupt("the PNG cannot be decoded")) }
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            cairo_surface_destroy(surface)
            return .failure(.corrupt("the PNG cannot be decoded (\(String(cString: cairo_status_to_string(status))))"))
        }
        return .success(surface)
    }

    /// A copy of `surface` `width` pixels wide (aspect kept), filtered by cairo (box filtering when reducing).
    static func downscaled(_ surface: OpaquePointer, width: Int) -> Result<OpaquePointer, PDFImageSkip.Reason> {
        let sourceWidth = Double(cairo_image_surface_get_width(surface))
        let sourceHeight = Double(cairo_image_surface_get_height(surface))
        let height = max(1, Int((sourceHeight * Double(width) / sourceWidth).rounded()))
        let format = cairo_image_surface_get_format(surface)
        guard let small = cairo_image_surface_create(format == CAIRO_FORMAT_RGB24 ? CAIRO_FORMAT_RGB24 : CAIRO_FORMAT_ARGB32,
                                                     Int32(width), Int32(height)),
              cairo_surface_status(small) == CAIRO_STATUS_SUCCESS, let cr = cairo_create(small) else {
            return .failure(.corrupt("no surface of \(width) × \(height) pixels"))
        }
        cairo_scale(cr, Double(width) / sourceWidth, Double(height) / sourceHeight)
        cairo_set_source_surface(cr, surface, 0, 0)
        cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD)
        cairo_set_operator(cr, CAIRO_OPERATOR_SOURCE)
        cairo_paint(cr)
        cairo_destroy(cr)
        cairo_surface_flush(small)
        return .success(small)
    }

    // MARK: WebP

    /// A decoder set up for `info`'s picture, reduced to `targetWidth` when given (libwebp scales while decoding: the
    /// full-size picture is never in memory). The output size is `options.scaled_width` × `options.scaled_height`;
    /// nil when the library refuses (a version mismatch).
    static func webpConfig(info: PDFImageInfo, targetWidth: Int?) -> WebPDecoderConfig? {
        var config = WebPDecoderConfig()
        guard WebPInitDecoderConfig(&config) != 0 else { return nil }
        var width = info.width, height = info.height
        if let targetWidth {
            height = max(1, Int((Double(height) * Double(targetWidth) / Double(width)).rounded()))
            width = targetWidth
        }
        config.options.use_scaling = targetWidth == nil ? 0 : 1
        config.options.scaled_width = Int32(width)
        config.options.scaled_height = Int32(height)
        return config
    }

    /// A WebP photo decoded to RGB (reduced while decoding) and encoded as a JPEG: Flate would make it ten times larger.
    static func webpAsJPEG(_ bytes: [UInt8], info: PDFImageInfo, targetWidth: Int?) -> Result<OpaquePointer, PDFImageSkip.Reason> {
        guard var config = webpConfig(info: info, targetWidth: targetWidth) else {
            return .failure(.webpUnavailable("libwebp version mismatch"))
        }
        let width = Int(config.options.scaled_width), height = Int(config.options.scaled_height)
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        let status = rgb.withUnsafeMutableBufferPointer { pixels in
            config.output.colorspace = MODE_RGB
            config.output.is_external_memory = 1
            config.output.u.RGBA.rgba = pixels.baseAddress
            config.output.u.RGBA.stride = Int32(width * 3)
            config.output.u.RGBA.size = pixels.count
            return bytes.withUnsafeBufferPointer { WebPDecode($0.baseAddress, $0.count, &config) }
        }
        WebPFreeDecBuffer(&config.output)
        guard status == VP8_STATUS_OK else {
            return .failure(.webpUnavailable("libwebp could not decode it (status \(status.rawValue))"))
        }
        var output = gz_jpeg_output()
        let encoded = rgb.withUnsafeBufferPointer {
            gz_jpeg_encode_rgb($0.baseAddress, Int32(width), Int32(height), width * 3, jpegQuality, &output)
        }
        rgb = []
        defer { gz_jpeg_free(&output) }
        guard encoded == 0, let data = output.data else { return .failure(.corrupt(message(of: &output))) }
        return jpegSurface(Array(UnsafeBufferPointer(start: data, count: Int(output.size))), width: width, height: height)
    }

    static func webpSurface(_ bytes: [UInt8], info: PDFImageInfo, targetWidth: Int?) -> Result<OpaquePointer, PDFImageSkip.Reason> {
        guard var config = webpConfig(info: info, targetWidth: targetWidth) else {
            return .failure(.webpUnavailable("libwebp version mismatch"))
        }
        let width = Int(config.options.scaled_width), height = Int(config.options.scaled_height)
        guard let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(width), Int32(height)),
              cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS, let pixels = cairo_image_surface_get_data(surface) else {
            return .failure(.corrupt("no surface of \(width) × \(height) pixels"))
        }
        let stride = Int(cairo_image_surface_get_stride(surface))
        cairo_surface_flush(surface)
        // cairo's ARGB32 is premultiplied and native-endian: B, G, R, A in memory on little-endian machines.
        config.output.colorspace = MODE_bgrA
        config.output.is_external_memory = 1
        config.output.u.RGBA.rgba = pixels
        config.output.u.RGBA.stride = Int32(stride)
        config.output.u.RGBA.size = stride * height
        let status = bytes.withUnsafeBufferPointer { WebPDecode($0.baseAddress, $0.count, &config) }
        WebPFreeDecBuffer(&config.output)
        guard status == VP8_STATUS_OK else {
            cairo_surface_destroy(surface)
            return .failure(.webpUnavailable("libwebp could not decode it (status \(status.rawValue))"))
        }
        cairo_surface_mark_dirty(surface)
        return .success(surface)
    }
}
