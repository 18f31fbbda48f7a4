import Foundation
import GazetteCore
@testable import GazetteStorage
import Testing

@Suite("Store contract: reader filters, language and delivered stories")
struct ReaderContractTests {
    @Test("filters are added once, listed by kind and removed; other users are untouched", arguments: StoreKind.available)
    func filters(kind: StoreKind) async throws {
        try await withFreshStore(kind) { store in
            let exclude = try ReaderFilter.make(kind: .exclude, value: " реклама ")
            #expect(exclude.value == "реклама")
            #expect(try await store.addReaderFilter(userID: 1, exclude))
            #expect(try await !store.addReaderFilter(userID: 1, exclude))
            #expect(try await store.addReaderFilter(userID: 1, try ReaderFilter.make(kind: .mute, value: "@Durov")))
            #expect(try await store.addReaderFilter(userID: 1, try ReaderFilter.make(kind: .noAds, value: "")))
            #expect(try await store.addReaderFilter(userID: 1, try ReaderFilter.make(kind: .minLength, value: "80")))
            #expect(try await store.addReaderFilter(userID: 2, try ReaderFilter.make(kind: .include, value: "выборы")))
            let list = try await store.readerFilters(userID: 1)
            #expect(list == [ReaderFilter(kind: .exclude, value: "реклама"), ReaderFilter(kind: .minLength, value: "80"),
                             ReaderFilter(kind: .mute, value: "durov"), ReaderFilter(kind: .noAds, value: "")])
            #expect(try await store.removeReaderFilter(userID: 1, exclude))
            #expect(try await !store.removeReaderFilter(userID: 1, exclude))
            #expect(try await store.readerFilters(userID: 1).count == 3)
            #expect(try await store.readerFilters(userID: 2) == [ReaderFilter(kind: .include, value: "выборы")])
            #expect(try await store.readerFilters(userID: 3) == [])
            await #expect(throws: StoreError.self) {
                _ = try await store.addReaderFilter(userID: 1, ReaderFilter(kind: .minLength, value: "many"))
            }
            for i in 0..<(ReaderFilter.maxPerUser - 3) {
                #expect(try await store.addReaderFilter(userID: 1, ReaderFilter(kind: .adMarker, value: "marker \(i)")))
            }
            await #expect(throws: StoreError.self) {
                _ = try await store.addReaderFilter(userID: 1, ReaderFilter(kind: .adMarker, value: "one too many"))
            }
        }
    }

    @Test("the reader language is ru, en or unset", arguments: StoreKind.available)
    func language(kind: StoreKind) async throws {
        try await withFreshStore(kind) { store in
            #expect(try await store.readerLanguage(userID: 5) == nil)
            try await store.setReaderLanguage(userID: 5, "ru")
            #expect(try await store.readerLanguage(userID: 5) == "ru")
            try await store.setReaderLanguage(userID: 5, "en")
            #expect(try await store.readerLanguage(userID: 5) == "en")
            try await store.setReaderLanguage(userID: 5, nil)
            #expect(try await store.readerLanguage(userID: 5) == nil)
            await #expect(throws: StoreError.self) { try await store.setReaderLanguage(userID: 5, "de") }
        }
    }

    @Test("delivered stories are replaced by key, listed since a time and expire", arguments: StoreKind.available)
    func delivered(kind: StoreKind) async throws {
        try await withFreshStore(kind) { store in
            let a = DeliveredStory(userID: 7, storyKey: "news/1", postIDs: ["news/1", "wire/9"], deliveredAt: t0)
            let b = DeliveredStory(userID: 7, storyKey: "news/2", postIDs: ["news/2"], deliveredAt: t0 + 60)
            let other = DeliveredStory(userID: 8, storyKey: "news/1", postIDs: ["news/1"], deliveredAt: t0)
            try await store.recordDeliveredStories([a, b, other])
            #expect(try await store.deliveredStories(userID: 7, since: t0 - 1) == [a, b])
            #expect(try await store.deliveredStories(userID: 7, since: t0 + 30) == [b])
            var grown = a
            grown.postIDs.append("city/4")
            grown.deliveredAt = t0 + 120
            try await store.recordDeliveredStories([grown])
            #expect(try await store.deliveredStories(userID: 7, since: t0 - 1) == [b, grown])
            #expect(try await store.deleteDeliveredStories(olderThan: t0 + 61) == 2)
            #expect(try await store.deliveredStories(userID: 7, since: t0 - 1) == [grown])
            await #expect(throws: StoreError.self) {
                try await store.recordDeliveredStories([DeliveredStory(userID: 7, storyKey: "x", postIDs: ["a\nb"], deliveredAt: t0)])
            }
        }
    }
}
