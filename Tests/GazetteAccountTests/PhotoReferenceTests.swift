import Foundation
@testable import GazetteAccount
import GazetteCore
import Testing

@Suite("TDLib photos → picture references")
struct PhotoReferenceTests {
    /// A `message` as TDLib sends it (the fields Gazette reads), with a photo in five sizes.
    func message(id: Int64, album: Int64, sizes: [(String, Int, Int, String)], caption: String = "") throws -> TDMessage {
        let sizeJSON = sizes.map { type, w, h, remote in
            """
            {"@type":"photoSize","type":"\(type)","width":\(w),"height":\(h),"progressive_sizes":[],
             "photo":{"@type":"file","id":\(w),"size":1000,"expected_size":1000,
                      "local":{"@type":"localFile","path":"","is_downloading_completed":false},
                      "remote":{"@type":"remoteFile","id":"\(remote)","unique_id":"u\(w)","is_uploading_active":false}}}
            """
        }.joined(separator: ",")
        let json = """
            {"@type":"message","id":\(id << 20),"chat_id":-1001234567890,"date":1764005000,"media_album_id":"\(album)",
             "content":{"@type":"messagePhoto","photo":{"@type":"photo","has_stickers":false,"sizes":[\(sizeJSON)]},
                        "caption":{"@type":"formattedText","text":"\(caption)","entities":[]}}}
            """
        return try JSONDecoder().decode(TDMessage.self, from: Data(json.utf8))
    }

    let fiveSizes = [("s", 90, 67, "S"), ("m", 320, 240, "M"), ("x", 800, 600, "X"), ("y", 1280, 960, "Y"), ("w", 2560, 1920, "W")]

    @Test("the largest size of at most 1280 px is referenced by its remote file id")
    func largestFitting() throws {
        let mapping = MessageMapping(channelKey: "pics", username: "pics")
        let post = try #require(mapping.post(try message(id: 10, album: 0, sizes: fiveSizes, caption: "A photo")))
        #expect(post.images == [ImageRef(kind: .photo, remoteFileID: "Y", width: 1280, height: 960)])
        #expect(post.firstPicture?.displayURL == "tdlib:Y", "no URL: digests name it by its remote id")
    }

    @Test("only larger sizes: the smallest; no sizes: no reference")
    func edges() throws {
        let big = try message(id: 11, album: 0, sizes: [("w", 2560, 1920, "W"), ("z", 4000, 3000, "Z")])
        #expect(big.content.photoReference() == ImageRef(kind: .photo, remoteFileID: "W", width: 2560, height: 1920))
        let none = try message(id: 12, album: 0, sizes: [])
        #expect(none.content.photoReference() == nil)
    }

    @Test("an album's photos are all referenced, in message order")
    func album() throws {
        let mapping = MessageMapping(channelKey: "pics", username: "pics")
        let posts = mapping.posts([
            try message(id: 21, album: 77, sizes: [("y", 1280, 720, "A")], caption: "Album"),
            try message(id: 22, album: 77, sizes: [("y", 1280, 720, "B")]),
            try message(id: 23, album: 77, sizes: [("x", 800, 600, "C")]),
        ])
        #expect(posts.count == 1)
        #expect(posts.first?.images.map(\.remoteFileID) == ["A", "B", "C"])
    }
}
