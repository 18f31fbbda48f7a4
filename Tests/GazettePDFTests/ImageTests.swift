import CPangoCairo
import Foundation
import GazetteTestSupport
import Testing
@testable import GazettePDF

/// The generated test images (`scripts/make-test-images.py`, `Tests/Fixtures/images/README.md`).
enum ImageFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/images", isDirectory: true)

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    /// A valid JPEG of more than 30 MB: the 1280 px photo with comment segments after its start marker.
    static func thirtyMegabyteJPEG() throws -> [UInt8] {
        let photo = try bytes("photo-1280x853.jpg")
        var segment: [UInt8] = [0xFF, 0xFE, 0xFF, 0xFF]
        segment += [UInt8](repeating: 0x20, count: 65_533)
        var big = Array(photo[0..<2])
        big.reserveCapacity(31 * 1024 * 1024)
        while big.count < 30 * 1024 * 1024 { big += segment }
        return big + photo[2...]
    }

    static let provider = LocalImageFiles(baseDirectory: directory.path)

    /// A `width` × `height` opaque PNG drawn with cairo (a gradient with a disc), for reductions.
    static func png(width: Int32, height: Int32) -> [UInt8] {
        let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height)!
        let cr = cairo_create(surface)!
        let gradient = cairo_pattern_create_linear(0, 0, Double(width), Double(height))!
        cairo_pattern_add_color_stop_rgb(gradient, 0, 0.2, 0.4, 0.8)
        cairo_pattern_add_color_stop_rgb(gradient, 1, 0.9, 0.6, 0.2)
        cairo_set_source(cr, gradient)
        cairo_paint(cr)
        cairo_set_source_rgb(cr, 1, 1, 1)
        cairo_arc(cr, Double(width) / 2, Double(height) / 2, Double(height) / 4, 0, 2 * .pi)
        cairo_fill(cr)
        cairo_pattern_destroy(gradient)
        cairo_destroy(cr)
        final class Sink { var bytes: [UInt8] = [] }
        let sink = Sink()
        cairo_surface_write_to_png_stream(surface, { closure, data, length in
            Unmanaged<Sink>.fromOpaque(closure!).takeUnretainedValue().bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
            return CAIRO_STATUS_SUCCESS
        }, Unmanaged.passUnretained(sink).toOpaque())
        cairo_surface_destroy(surface)
        return sink.bytes
    }
}

/// Images by name from memory.
struct MemoryImages: PDFImageProvider {
    var files: [String: [UInt8]]
    func imageBytes(for destination: String) -> [UInt8]? { files[destination] }
}

@Suite struct ImageEmbeddingTests {
    let renderer = PDFRenderer()

    func render(_ markdown: String, images: (any PDFImageProvider)? = ImageFixtures.provider) throws -> RenderedPDF {
        try renderer.render(markdown: markdown, info: .test(), style: PDFStyle(), images: images)
    }

    @Test(.needsPoppler) func jpegGoesIntoThePDFAsItIs() throws {
        let pdf = try render("# Photo\n\nBefore the picture.\n\n![A sunset](photo-1280x853.jpg)\n\nAfter it.\n")
        #expect(pdf.imageSkips.isEmpty)
        // The file's bytes are in the PDF unchanged (a DCTDecode stream), not re-encoded.
        let jpeg = try ImageFixtures.bytes("photo-1280x853.jpg")
        #expect(pdf.data.range(of: Data(jpeg)) != nil)
        let inspector = try PDFInspector(pdf)
        defer { inspector.remove() }
        let rows = try inspector.imageRows()
        #expect(rows.count == 1)
        #expect(rows.first.map { ($0.type, $0.width, $0.height, $0.encoding, $0.color) } ?? ("", 0, 0, "", "") == ("image", 1280, 853, "jpeg", "rgb"))
        let text = try inspector.text()
        #expect(text.contains("Before the picture.") && text.contains("After it."))
        #expect(!text.contains("A sunset"))
    }

    @Test(.needsPoppler) func everyFormatIsEmbeddedWithItsSize() throws {
        var files: [String: [UInt8]] = ["big.png": ImageFixtures.png(width: 2400, height: 1600)]
        for name in ["photo-1280x853.jpg", "progressive-640x480.jpg", "grey-320x240.jpg", "cmyk-300x400.jpg", "large-3000x2000.jpg",
                     "photo-400x267.png", "logo-alpha-240x160.png", "photo-800x533.webp", "logo-alpha-240x160.webp",
                     "large-2400x1600.webp"] {
            files[name] = try ImageFixtures.bytes(name)
        }
        let pdf = try render("""
            ![jpeg](photo-1280x853.jpg)

            ![progressive](progressive-640x480.jpg) ![grey](grey-320x240.jpg)

            ![cmyk](cmyk-300x400.jpg) ![large jpeg](large-3000x2000.jpg)

            ![png](photo-400x267.png) ![png with alpha](logo-alpha-240x160.png) ![large png](big.png)

            ![webp](photo-800x533.webp) ![lossless webp with alpha](logo-alpha-240x160.webp) ![large webp](large-2400x1600.webp)
            """, images: MemoryImages(files: files))
        #expect(pdf.imageSkips.isEmpty, "\(pdf.imageSkips)")
        let inspector = try PDFInspector(pdf)
        defer { inspector.remove() }
        let images = try inspector.imageRows().filter { $0.type == "image" }
        let summary = images.map { "\($0.width)x\($0.height) \($0.encoding) \($0.color)" }
        // CMYK becomes RGB; pictures much larger than their box are reduced (the JPEG by libjpeg's n/8 scaling, to 4/8;
        // PNG and WebP to 200 ppi at the column's width: 1,339 px); WebP photos become JPEGs.
        #expect(summary == [
            "1280x853 jpeg rgb", "640x480 jpeg rgb", "320x240 jpeg gray", "300x400 jpeg rgb", "1500x1000 jpeg rgb",
            "400x267 image rgb", "240x160 image rgb", "1339x893 image rgb", "800x533 jpeg rgb", "240x160 image rgb",
            "1339x893 jpeg rgb",
        ], "\(summary)")
        // The two pictures with transparency carry soft masks; the opaque ones do not.
        #expect(try inspector.imageRows().filter { $0.type == "smask" }.count == 2)
        // Aspect ratio kept: the same resolution across and down.
        for image in images { #expect(abs(image.xPPI - image.yPPI) <= 1, "\(image)") }
    }

    @Test(.needsPoppler) func aPictureUsedTwiceIsEmbeddedOnce() throws {
        let pdf = try render("![one](photo-1280x853.jpg)\n\n![two](./photo-1280x853.jpg)\n\n![three](photo-400x267.png)\n\n![four](photo-400x267.png)\n")
        let inspector = try PDFInspector(pdf)
        defer { inspector.remove() }
        let rows = try inspector.imageRows()
        #expect(rows.count == 4)
        #expect(Set(rows.map(\.object)).count == 2)
    }

    @Test(.needsPoppler) func alternativeTextTakesThePlaceOfWhatCannotBeShown() throws {
        let big = try ImageFixtures.thirtyMegabyteJPEG()
        var files: [String: [UInt8]] = ["big.jpg": big]
        for name in ["garbage.jpg", "tiny.gif", "corrupt-truncated.jpg", "corrupt-checksum.png", "header-20000x20000.png",
                     "header-20000x20000.jpg", "animated-64x64.webp", "photo-1280x853.jpg"] {
            files[name] = try ImageFixtures.bytes(name)
        }
        let pdf = try render("""
            Intro ![Missing one](missing.png) and ![Big photo](big.jpg) and ![Random bytes](garbage.jpg).

            ![A GIF](tiny.gif) ![Cut short](corrupt-truncated.jpg) ![Bad checksum](corrupt-checksum.png)

            ![Huge PNG](header-20000x20000.png) ![Huge JPEG](header-20000x20000.jpg) ![Animation](animated-64x64.webp)

            ![](https://example.org/remote.jpg) ![Shown](photo-1280x853.jpg)
            """, images: MemoryImages(files: files))
        let reasons = pdf.imageSkips.map { "\($0.destination) \($0.reason.label)" }
        #expect(reasons == [
            "missing.png not_provided", "big.jpg too_many_bytes", "garbage.jpg unsupported_type", "tiny.gif unsupported_type",
            "corrupt-truncated.jpg corrupt", "corrupt-checksum.png corrupt", "header-20000x20000.png too_many_pixels",
            "header-20000x20000.jpg too_many_pixels", "animated-64x64.webp webp_unavailable",
            "https://example.org/remote.jpg not_provided",
        ], "\(reasons)")
        #expect(pdf.imageSkips[1].reason == .tooManyBytes(bytes: big.count, limit: PDFLimits.maxImageBytes))
        #expect(pdf.imageSkips[6].reason == .tooManyPixels(width: 20_000, height: 20_000))
        let inspector = try PDFInspector(pdf)
        defer { inspector.remove() }
        let text = try inspector.text()
        for alt in ["Intro Missing one and Big photo and Random bytes.", "A GIF", "Cut short", "Bad checksum", "Huge PNG",
                    "Huge JPEG", "Animation", "[image]"] {
            #expect(text.contains(alt), "no alt text '\(alt)' in \(text)")
        }
        #expect(!text.contains("Shown"))
        // The remote picture's alt text links to its address (it is never fetched here).
        #expect(try inspector.linkURLs() == ["https://example.org/remote.jpg"])
        #expect(try inspector.imageRows().count == 1)
    }

    @Test(.needsPoppler) func aPictureThatFailsOnlyWhenDecodedLeavesItsAltTextInItsPlace() throws {
        // A CMYK JPEG (re-encoded, so decoded at drawing time) whose Huffman table counts are impossible: its header and
        // structure pass the check, libjpeg refuses it when the page is drawn.
        var broken = try ImageFixtures.bytes("cmyk-300x400.jpg")
        let table = try #require((0..<broken.count - 1).first { broken[$0] == 0xFF && broken[$0 + 1] == 0xC4 })
        for index in (table + 5)..<(table + 21) { broken[index] = 0xFF }
        let pdf = try render("Before.\n\n![A broken photo](broken.jpg)\n\nAfter.\n", images: MemoryImages(files: ["broken.jpg": broken]))
        #expect(pdf.imageSkips.map(\.destination) == ["broken.jpg"])
        #expect(pdf.imageSkips.first?.reason.label == "corrupt")
        let inspector = try PDFInspector(pdf)
        defer { inspector.remove() }
        #expect(try inspector.text().contains("A broken photo"))
        #expect(try inspector.imageRows().isEmpty)
    }

    @Test(.needsPoppler) func withoutAProviderImagesStayLinks() throws {
        let pdf = try renderer.render(markdown: "See ![a chart](photo-1280x853.jpg) here.", info: .test())
        #expect(pdf.imageSkips.isEmpty)
        let inspector = try PDFInspector(pdf)
        defer { inspector.remove() }
        #expect(try inspector.text().contains("See [image: a chart] here."))
        #expect(try inspector.imageRows().isEmpty)
    }

    @Test(.needsPoppler) func aPictureInALinkIsClickable() throws {
        let pdf = try render("[![Sunset](photo-1280x853.jpg)](https://example.org/post/1)\n")
        let inspector = try PDFInspector(pdf)
        defer { inspector.remove() }
        #expect(try inspector.linkURLs() == ["https://example.org/post/1"])
    }

    /// `count` one-line paragraphs: with the 1280 × 853 photo after them (321 pt tall at the column's width), 20 leave
    /// about 70 % of its height on page 1, 25 about 30 %.
    func filler(_ count: Int, _ text: String = "of text that fills the first page.") -> String {
        (1...count).map { "Line \($0) \(text)" }.joined(separator: "\n\n")
    }

    /// The photo at the column's width: 1280 px over 481.9 pt, 191 ppi.
    static let fullWidthPPI = 191

    @Test(.needsPoppler) func aPictureWithMostOfItsHeightLeftIsDrawnSmallerOnItsPage() throws {
        let pdf = try render(filler(20) + "\n\n![Photo](photo-1280x853.jpg)\n\nEnd.\n")
        #expect(pdf.pages == 2)
        // The JPEG still goes in as it is: only its box is smaller.
        #expect(pdf.data.range(of: Data(try ImageFixtures.bytes("photo-1280x853.jpg"))) != nil)
        let inspector = try PDFInspector(pdf)
        defer { inspector.remove() }
        let rows = try inspector.imageRows()
        #expect(rows.map(\.page) == [1])
        let row = try #require(rows.first)
        #expect((row.width, row.height, row.encoding) == (1280, 853, "jpeg"))
        // Drawn at 60–80 % of its size (more pixels per inch), aspect ratio kept.
        let scale = Double(Self.fullWidthPPI) / Double(row.xPPI)
        #expect(scale > 0.6 && scale < 0.8, "drawn at \(scale) of its size")
        #expect(abs(row.xPPI - row.yPPI) <= 1)
        #expect(try inspector.text(page: 1).contains("Line 20"))
        #expect(try inspector.text(page: 2).contains("End."))
    }

    @Test(.needsPoppler) func aShrunkPictureEmbedsThePixelsOfItsFullSize() throws {
        // Alone, the 3000 × 2000 JPEG is reduced to 1500 × 1000 (4/8) for the column's width. Drawn at ~70 % at the
        // bottom of page 1 it keeps those pixels (its smaller box alone would have given 3/8: 1125 × 750).
        var sizes: [String] = []
        for markdown in ["![Large](large-3000x2000.jpg)\n", filler(20) + "\n\n![Large](large-3000x2000.jpg)\n"] {
            let inspector = try PDFInspector(try render(markdown))
            defer { inspector.remove() }
            sizes += try inspector.imageRows().map { "p\($0.page) \($0.width)x\($0.height) \($0.encoding) \($0.xPPI < 230 ? "full" : "smaller")" }
        }
        #expect(sizes == ["p1 1500x1000 jpeg full", "p1 1500x1000 jpeg smaller"], "\(sizes)")
    }

    @Test(.needsPoppler) func aPictureWithLittleOfItsHeightLeftStillMovesToTheNextPage() throws {
        // About 30 % of the photo's height is left on page 1: below `PDFLimits.minShrunkImageFraction`.
        let pdf = try render(filler(25) + "\n\n![Photo](photo-1280x853.jpg)\n\nEnd.\n")
        #expect(pdf.pages == 2)
        let inspector = try PDFInspector(pdf)
        defer { inspector.remove() }
        #expect(try inspector.imageRows().map(\.page) == [2])
        // At its full size there.
        #expect(try inspector.imageRows().map(\.xPPI) == [Self.fullWidthPPI])
        #expect(try inspector.text(page: 1).contains("Line 25"))
        #expect(try inspector.text(page: 2).contains("End."))
        // Around the 60 % threshold: ~62 % left stays on page 1 (drawn at 62 %), ~55 % moves.
        var placed: [String] = []
        for count in [21, 22] {
            let near = try PDFInspector(try render(filler(count) + "\n\n![Photo](photo-1280x853.jpg)\n\nEnd.\n"))
            defer { near.remove() }
            placed += try near.imageRows().map { "p\($0.page) \(Int((100 * Double(Self.fullWidthPPI) / Double($0.xPPI)).rounded())) %" }
        }
        #expect(placed == ["p1 62 %", "p2 100 %"], "\(placed)")
    }

    @Test(.needsPoppler) func aHeadingStaysWithThePictureUnderIt() throws {
        // Room for ~75 % of the picture under the heading: both stay on page 1, the picture smaller.
        let stays = try render(filler(19, "of text before the section.") + "\n\n## The section\n\n![Photo](photo-1280x853.jpg)\n\nText.\n")
        // Room for ~30 %: the heading moves with the picture; it never ends page 1 with its picture on page 2.
        let moves = try render(filler(24, "of text before the section.") + "\n\n## The section\n\n![Photo](photo-1280x853.jpg)\n\nText.\n")
        #expect((stays.pages, moves.pages) == (2, 2))
        let stayed = try PDFInspector(stays)
        defer { stayed.remove() }
        #expect(try stayed.text(page: 1).contains("The section"))
        let moved = try PDFInspector(moves)
        defer { moved.remove() }
        #expect(!(try moved.text(page: 1).contains("The section")))
        #expect(try moved.text(page: 2).contains("The section"))
        #expect(try stayed.imageRows().map(\.page) == [1])
        #expect(try stayed.imageRows().allSatisfy { $0.xPPI > Self.fullWidthPPI + 20 })
        #expect(try moved.imageRows().map(\.page) == [2])
        #expect(try moved.imageRows().map(\.xPPI) == [Self.fullWidthPPI])
    }

    @Test func theShrinkRule() {
        let photo = 321.0, cm4 = 4 / 2.54 * 72
        // Fits: nothing to do. Less than 60 % of it left: moves. In between: the room left, rounded down to 0.01 pt.
        #expect(Paginator.shrunkImageHeight(photo, room: 330) == nil)
        #expect(Paginator.shrunkImageHeight(photo, room: 0.59 * photo) == nil)
        #expect(Paginator.shrunkImageHeight(photo, room: 0.6 * photo) == 192.6)
        #expect(Paginator.shrunkImageHeight(photo, room: 224.777) == 224.77)
        // A picture 150 pt tall needs at least 4 cm (113.4 pt) left, not 90 pt; one under 4 cm tall is never shrunk.
        #expect(Paginator.shrunkImageHeight(150, room: 100) == nil)
        #expect(Paginator.shrunkImageHeight(150, room: 114) == 114)
        #expect(Paginator.shrunkImageHeight(100, room: 95) == nil)
        #expect(abs(Paginator.smallestImageHeight(150) - cm4) < 0.001)
        #expect(Paginator.smallestImageHeight(100) == 100)
    }

    @Test func picturesAreScaledToTheColumnAndCappedInHeight() {
        let column = PageGeometry.a4.contentWidth
        let maxHeight = PageGeometry.a4.contentHeight * PDFLimits.maxImageHeightFraction
        func info(_ width: Int, _ height: Int) -> PDFImageInfo {
            PDFImageInfo(format: .png, width: width, height: height, jpegComponents: 0, jpegPassThrough: false, webpOpaqueLossy: false)
        }
        // Wide: the column's width, aspect kept.
        let wide = Paginator.imageSize(info(1280, 853), width: column, maxHeight: maxHeight)
        #expect(abs(wide.width - column) < 0.001 && abs(wide.height - column * 853 / 1280) < 0.001)
        // Tall: capped at 45 % of the page body, narrower in proportion.
        let tall = Paginator.imageSize(info(1000, 3000), width: column, maxHeight: maxHeight)
        #expect(abs(tall.height - maxHeight) < 0.001 && abs(tall.width - maxHeight / 3) < 0.001)
        // Small: its natural size (1 px = 0.75 pt), never blown up.
        let small = Paginator.imageSize(info(64, 48), width: column, maxHeight: maxHeight)
        #expect(small.width == 48 && small.height == 36)
    }

    @Test func theSameInputGivesTheSameBytes() throws {
        let markdown = "# Pictures\n\n![a](photo-1280x853.jpg)\n\n![b](photo-400x267.png) ![c](photo-800x533.webp)\n"
        let first = try render(markdown)
        let second = try PDFRenderer().render(markdown: markdown, info: .test(), style: PDFStyle(), images: ImageFixtures.provider)
        _ = try render("other document ![x](logo-alpha-240x160.png)")
        let third = try render(markdown)
        #expect(first.data == second.data)
        #expect(first.data == third.data)
    }
}

@Suite struct ImageProbeTests {
    @Test(arguments: [
        ("photo-1280x853.jpg", PDFImageFormat.jpeg, 1280, 853), ("progressive-640x480.jpg", .jpeg, 640, 480),
        ("photo-400x267.png", .png, 400, 267), ("photo-800x533.webp", .webp, 800, 533),
        ("logo-alpha-240x160.webp", .webp, 240, 160),
    ])
    func headersAreRead(name: String, format: PDFImageFormat, width: Int, height: Int) throws {
        let info = try PDFImageInfo.probe(ImageFixtures.bytes(name)).get()
        #expect(info.format == format && info.width == width && info.height == height)
    }

    @Test func theTypeComesFromTheBytesNotTheName() throws {
        // A PNG named .jpg is a PNG; random bytes named .jpg are nothing.
        #expect(PDFImageFormat.sniff(try ImageFixtures.bytes("photo-400x267.png")) == .png)
        #expect(PDFImageFormat.sniff(try ImageFixtures.bytes("garbage.jpg")) == nil)
        let renamed = MemoryImages(files: ["photo.jpg": try ImageFixtures.bytes("photo-400x267.png")])
        let pdf = try PDFRenderer().render(markdown: "![x](photo.jpg)", info: .test(), style: PDFStyle(), images: renamed)
        #expect(pdf.imageSkips.isEmpty)
    }

    @Test func aHugeHeaderIsRefusedFromTheHeader() throws {
        for name in ["header-20000x20000.png", "header-20000x20000.jpg"] {
            let bytes = try ImageFixtures.bytes(name)
            #expect(bytes.count < 100)
            #expect(PDFImageInfo.probe(bytes) == .failure(.tooManyPixels(width: 20_000, height: 20_000)))
        }
    }
}

@Suite struct LocalImageFilesTests {
    @Test func filesOutsideTheBaseDirectoryAreNotProvided() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("gazette-images-\(UUID().uuidString)")
        let inner = base.appendingPathComponent("doc")
        try FileManager.default.createDirectory(at: inner.appendingPathComponent("pics"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: base) }
        let photo = try ImageFixtures.bytes("photo-1280x853.jpg")
        try Data(photo).write(to: inner.appendingPathComponent("pics/my photo.jpg"))
        try Data(photo).write(to: base.appendingPathComponent("secret.jpg"))
        try FileManager.default.createSymbolicLink(at: inner.appendingPathComponent("link.jpg"),
                                                   withDestinationURL: base.appendingPathComponent("secret.jpg"))
        let files = LocalImageFiles(baseDirectory: inner.path)
        #expect(files.imageBytes(for: "pics/my photo.jpg") == photo)
        #expect(files.imageBytes(for: "pics/my%20photo.jpg") == photo)
        #expect(files.imageBytes(for: "./pics/../pics/my photo.jpg") == photo)
        #expect(files.imageBytes(for: inner.path + "/pics/my photo.jpg") == photo)
        for outside in ["../secret.jpg", base.path + "/secret.jpg", "link.jpg", "file://" + base.path + "/secret.jpg",
                        "https://example.org/pics/my photo.jpg", "pics", "missing.jpg", ""] {
            #expect(files.image(for: outside) == .skipped(.notProvided), "\(outside)")
        }
    }

    @Test func aFileOverTheCapIsRefusedUnread() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("gazette-images-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: base) }
        let big = try ImageFixtures.thirtyMegabyteJPEG()
        try Data(big).write(to: base.appendingPathComponent("big.jpg"))
        let files = LocalImageFiles(baseDirectory: base.path)
        #expect(files.image(for: "big.jpg") == .skipped(.tooManyBytes(bytes: big.count, limit: PDFLimits.maxImageBytes)))
        let pdf = try PDFRenderer().render(markdown: "![The big one](big.jpg)", info: .test(), style: PDFStyle(), images: files)
        #expect(pdf.imageSkips == [PDFImageSkip(destination: "big.jpg", reason: .tooManyBytes(bytes: big.count, limit: PDFLimits.maxImageBytes))])
    }
}

@Suite struct ImageReductionTests {
    @Test func reductionRule() {
        let column = PageGeometry.a4.contentWidth
        // A full-width picture needs 1,339 px at 200 ppi; up to 1.5 × that (2,008 px) goes in as it is.
        #expect(ImagePainter.targetWidth(pixels: 1280, points: column) == nil)
        #expect(ImagePainter.targetWidth(pixels: 2008, points: column) == nil)
        #expect(ImagePainter.targetWidth(pixels: 2009, points: column) == 1339)
        #expect(ImagePainter.targetWidth(pixels: 4000, points: 100) == 278)
        // libjpeg's scale: the smallest n/8 that still gives the target.
        #expect(ImagePainter.jpegScale(width: 3000, targetWidth: 1339) == 4)
        #expect(ImagePainter.jpegScale(width: 4000, targetWidth: 1339) == 3)
        #expect(ImagePainter.jpegScale(width: 8000, targetWidth: 278) == 1)
        #expect(ImagePainter.jpegScale(width: 1280, targetWidth: nil) == 8)
    }

    @Test(.needsPoppler) func cmykComesOutInItsColoursNotInverted() throws {
        let pdf = try PDFRenderer().render(markdown: "![cmyk](cmyk-300x400.jpg)", info: .test(), style: PDFStyle(),
                                           images: ImageFixtures.provider)
        let inspector = try PDFInspector(pdf)
        defer { inspector.remove() }
        let gray = try inspector.rasterGray(page: 1, dpi: 30)
        let picture = gray.filter { $0 < 250 }
        let mean = Double(picture.reduce(0) { $0 + Int($1) }) / Double(max(picture.count, 1))
        // The landscape is mostly mid-tones (sky, hills): inverted it would be nearly black.
        #expect(picture.count > 1_000 && mean > 80, "mean grey \(mean) over \(picture.count) pixels")
    }
}
