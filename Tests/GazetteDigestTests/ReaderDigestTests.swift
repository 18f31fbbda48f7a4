import Foundation
import GazetteCore
import GazetteMetrics
import Testing
@testable import GazetteDigest

/// Filters, the reader's language and the "not twice" rule, through `DigestService` on a real SQLite store.
@Suite struct ReaderDigestTests {
    static let now = SamplePosts.base.addingTimeInterval(60)
    static func p(_ channel: String, _ id: Int64, _ text: String, _ minutesAgo: Int = 30, views: Int = 100) -> Post {
        SamplePosts.post(channel, id, text, views: views, minutesAgo: minutesAgo)
    }

    static let alpha = [
        p("alpha_news", 1, "ЦБ сохранил ключевую ставку на уровне 16,5% годовых, сообщил регулятор.", 50),
        p("alpha_news", 2, "Скидки до 50% на всё! Реклама. erid: 2VtzqxKkFZ3", 45),
        p("alpha_news", 3, "Эксперты обсуждают рынок рекламы в соцсетях и его рост в этом году.", 40),
        p("alpha_news", 4, "Коротко.", 35),
        p("alpha_news", 5, "Явка на выборах мэра составила 31%, сообщил избирком города.", 30),
    ]
    static let beta = [
        p("beta_news", 11, "Банк России оставил ключевую ставку без изменений — 16,5%.", 44),
        p("beta_news", 12, "Election turnout hit a record in the city's mayoral elections.", 20),
    ]

    static func service(_ store: any GazetteStore) -> DigestService {
        DigestService(store: store, summarizer: ExtractiveSummarizer(),
                      renderer: MeteredRenderer(renderer: CountingRenderer(), metrics: PDFMetrics(registry: MetricRegistry())))
    }

    static func ids(_ r: DigestResult) -> Set<String> {
        Set((r.allStories).flatMap { $0.posts.map(\.id) })
    }

    @Test func excludeHidesEveryInflectionAndTheFooterCountsThem() async throws {
        try await withStore { store in
            _ = try await seed(store, user: 1, channel: "alpha_news", title: "Альфа", posts: Self.alpha)
            _ = try await seed(store, user: 1, channel: "beta_news", title: "Бета", posts: Self.beta)
            let before = try await Self.service(store).digest(userID: 1, hours: 24, now: Self.now)
            #expect(before.posts == 7)
            #expect(try await store.addReaderFilter(userID: 1, try ReaderFilter.make(kind: .exclude, value: "реклама")))
            let after = try await Self.service(store).digest(userID: 1, hours: 24, now: Self.now)
            // «Реклама.» and «рекламы» both go; nothing is deleted from the store.
            #expect(!Self.ids(after).contains("alpha_news/2") && !Self.ids(after).contains("alpha_news/3"))
            #expect(after.metadata.hiddenByFilters == 2)
            #expect(after.markdown.contains("2 поста скрыто вашими фильтрами"))
            #expect(try await store.posts(channelID: 1, since: Self.now.addingTimeInterval(-86400), until: Self.now, limit: 100).count == 5)
        }
    }

    @Test func includeMuteAdsAndMinimumLength() async throws {
        try await withStore { store in
            _ = try await seed(store, user: 1, channel: "alpha_news", posts: Self.alpha)
            _ = try await seed(store, user: 1, channel: "beta_news", posts: Self.beta)
            let service = Self.service(store)
            _ = try await store.addReaderFilter(userID: 1, try ReaderFilter.make(kind: .include, value: "выборы"))
            _ = try await store.addReaderFilter(userID: 1, try ReaderFilter.make(kind: .include, value: "election"))
            #expect(Self.ids(try await service.digest(userID: 1, hours: 24, now: Self.now)) == ["alpha_news/5", "beta_news/12"])
            _ = try await store.removeReaderFilter(userID: 1, ReaderFilter(kind: .include, value: "выборы"))
            _ = try await store.removeReaderFilter(userID: 1, ReaderFilter(kind: .include, value: "election"))

            _ = try await store.addReaderFilter(userID: 1, try ReaderFilter.make(kind: .mute, value: "@beta_news"))
            _ = try await store.addReaderFilter(userID: 1, try ReaderFilter.make(kind: .noAds, value: ""))
            _ = try await store.addReaderFilter(userID: 1, try ReaderFilter.make(kind: .minLength, value: "20"))
            let r = try await service.digest(userID: 1, hours: 24, now: Self.now)
            #expect(Self.ids(r) == ["alpha_news/1", "alpha_news/3", "alpha_news/5"])
            #expect(r.metadata.hiddenByFilters == 4)
        }
    }

    @Test func adsAreRecognizedByTheirLabels() {
        #expect(PostFilter.isAd("Лучшие курсы! erid: 2Vtzqx"))
        #expect(PostFilter.isAd("Скидки\nРеклама ООО «Ромашка»"))
        #expect(PostFilter.isAd("Новый сервис #реклама"))
        #expect(PostFilter.isAd("Партнёрский пост [promo]", markers: ["[promo]"]))
        #expect(!PostFilter.isAd("Рынок рекламы вырос на 20%, сообщили аналитики."))
        #expect(!PostFilter.isAd("The Erie canal reopened."))
    }

    @Test func theReadersLanguageWinsOverThePosts() async throws {
        try await withStore { store in
            _ = try await seed(store, user: 1, channel: "alpha_news", posts: Self.alpha)
            #expect(try await Self.service(store).digest(userID: 1, hours: 24, now: Self.now).markdown.contains("## Главные сюжеты"))
            try await store.setReaderLanguage(userID: 1, "en")
            let md = try await Self.service(store).digest(userID: 1, hours: 24, now: Self.now).markdown
            #expect(md.contains("## Top stories") && md.contains("## Contents") && !md.contains("Содержание"))
        }
    }

    @Test func aDeliveredStoryIsNotRepeatedUntilNewReportsArrive() async throws {
        try await withStore { store in
            _ = try await seed(store, user: 1, channel: "alpha_news", posts: Self.alpha)
            let beta = try await seed(store, user: 1, channel: "beta_news", posts: [Self.beta[0]])
            let service = Self.service(store)
            guard case .text(let first, let records) = try await service.deliver(userID: 1, hours: 24, now: Self.now, format: .text) else {
                Issue.record("expected a text digest")
                return
            }
            #expect(first.joined().contains("16,5%"))
            #expect(Set(records.flatMap(\.postIDs)) == ["alpha_news/1", "alpha_news/2", "alpha_news/3", "alpha_news/4", "alpha_news/5", "beta_news/11"])
            // Not confirmed (the send failed): the same digest again.
            guard case .text = try await service.deliver(userID: 1, hours: 24, now: Self.now, format: .text) else {
                Issue.record("expected the digest again")
                return
            }
            try await service.confirmDelivery(records)
            guard case .nothingNew = try await service.deliver(userID: 1, hours: 24, now: Self.now.addingTimeInterval(60), format: .text) else {
                Issue.record("expected nothing new")
                return
            }
            // A third channel reports the rate decision: the story comes back, marked as updated, the new report marked.
            _ = try await seed(store, user: 1, channel: "gamma_news", posts: [Self.p("gamma_news", 21, "Ключевая ставка ЦБ осталась на уровне 16,5%.", 5)])
            _ = beta
            let later = Self.now.addingTimeInterval(120)
            let result = try await service.digest(userID: 1, hours: 24, now: later, notTwice: true)
            let story = try #require(result.stories?.first)
            #expect(story.isUpdate && story.newPostIDs == ["gamma_news/21"])
            #expect(story.posts.count == 3)
            #expect(result.stories?.count == 1)
            #expect(result.markdown.contains("**Обновлено**") && result.markdown.contains("**новое**"))
            // Delivered stories never disappear from other surfaces: the plain digest still has everything.
            #expect(try await service.digest(userID: 1, hours: 24, now: later).posts == 7)
        }
    }
}
