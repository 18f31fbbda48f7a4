import Foundation
import Hummingbird

/// A loopback stand-in for a picture CDN (issue 16): serves the pictures it was given at `/img/<name>` with the content
/// type it was given (which may lie), and the ways a real CDN fails:
/// - `/slow/<name>`: held at `CDNLog.gate` until `CDNLog.release()` (a fetch times out when the test moves its clock
///   past the deadline; the test releases the handler so the server can stop at once);
/// - `/missing/<name>`: 404;
/// - `/huge.jpg`: a JPEG header followed by `hugeBytes` of filler, streamed in 64 KB chunks without a
///   `Content-Length`, so only a reader that stops at its cap is spared; `CDNLog.hugeBytesSent` counts what went out.
///   The server's writes are not held back by a slow reader (they queue in memory), so the chunks are paced (1 ms
///   apart, ~30 s for 30 MB… at most): what was sent when the client gave up says how much it read.
public enum FakeCDN {
    public struct Picture: Sendable {
        public var contentType: String
        public var bytes: [UInt8]
        public init(contentType: String, bytes: [UInt8]) {
            self.contentType = contentType
            self.bytes = bytes
        }
    }

    public static func router(pictures: [String: Picture], log: CDNLog, hugeBytes: Int = 30 * 1024 * 1024) -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/img/:name") { request, context -> Response in
            let name = context.parameters.get("name") ?? ""
            await log.record(request.uri.path)
            guard let picture = pictures[name] else { return Response(status: .notFound) }
            return Response(status: .ok, headers: [.contentType: picture.contentType],
                            body: .init(byteBuffer: ByteBuffer(bytes: picture.bytes)))
        }
        router.get("/slow/:name") { request, context -> Response in
            await log.record(request.uri.path)
            await log.gate.wait()
            let picture = pictures[context.parameters.get("name") ?? ""]
            return Response(status: .ok, headers: [.contentType: "image/jpeg"],
                            body: .init(byteBuffer: ByteBuffer(bytes: picture?.bytes ?? [])))
        }
        router.get("/missing/:name") { request, _ -> Response in
            await log.record(request.uri.path)
            return Response(status: .notFound, body: .init(byteBuffer: ByteBuffer(string: "no such picture")))
        }
        router.get("/huge.jpg") { request, _ -> Response in
            await log.record(request.uri.path)
            let body = ResponseBody { writer in
                var sent = 0
                let header = TestPictures.jpegHeader(width: 1280, height: 960)
                try await writer.write(ByteBuffer(bytes: header))
                sent += header.count
                let chunk = ByteBuffer(repeating: 0x55, count: 64 * 1024)
                while sent < hugeBytes, await !log.released {
                    try await Task.sleep(for: .milliseconds(1))
                    try await writer.write(chunk)
                    sent += chunk.readableBytes
                    await log.sentHuge(chunk.readableBytes)
                }
                try await writer.finish(nil)
            }
            return Response(status: .ok, headers: [.contentType: "image/jpeg"], body: body)
        }
        return router
    }
}

/// What the fake CDN saw and sent.
public actor CDNLog {
    public private(set) var paths: [String] = []
    public private(set) var hugeBytesSent = 0
    public private(set) var released = false
    /// Where the slow route's requests wait.
    public nonisolated let gate = Gate()
    public init() {}
    /// Lets the slow route answer now, and stops the huge route's stream.
    public func release() {
        released = true
        gate.release()
    }
    public func record(_ path: String) { paths.append(path) }
    public func sentHuge(_ n: Int) { hugeBytesSent += n }
    public func count(_ path: String) -> Int { paths.filter { $0 == path }.count }
}

/// Byte-level picture headers for tests of sniffing and caps (no pixels: nothing here decodes them).
public enum TestPictures {
    /// SOI, a JFIF APP0 segment and a baseline SOF0 frame header for `width`×`height`, then EOI.
    public static func jpegHeader(width: Int, height: Int) -> [UInt8] {
        var b: [UInt8] = [0xFF, 0xD8]
        b += [0xFF, 0xE0, 0x00, 0x10] + Array("JFIF".utf8) + [0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]
        b += [0xFF, 0xC0, 0x00, 0x11, 0x08, UInt8(height >> 8), UInt8(height & 0xFF), UInt8(width >> 8), UInt8(width & 0xFF), 0x03,
              0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01]
        return b + [0xFF, 0xD9]
    }

    /// The PNG signature and an IHDR chunk for `width`×`height` (CRC not checked by the sniffer).
    public static func pngHeader(width: Int, height: Int) -> [UInt8] {
        func be32(_ v: Int) -> [UInt8] { [UInt8(v >> 24 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + be32(13) + Array("IHDR".utf8) + be32(width) + be32(height)
            + [8, 6, 0, 0, 0] + [0, 0, 0, 0]
    }

    /// A lossy WebP (`VP8 `) header for `width`×`height`.
    public static func webpHeader(width: Int, height: Int) -> [UInt8] {
        var b = Array("RIFF".utf8) + [0x40, 0, 0, 0] + Array("WEBP".utf8) + Array("VP8 ".utf8) + [0x30, 0, 0, 0]
        b += [0x10, 0x02, 0x00, 0x9D, 0x01, 0x2A, UInt8(width & 0xFF), UInt8(width >> 8), UInt8(height & 0xFF), UInt8(height >> 8)]
        return b + Array(repeating: 0, count: 32)
    }
}
