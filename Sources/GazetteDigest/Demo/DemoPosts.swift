import Foundation
import GazetteCore

/// Sample posts written for Gazette (Russian and English, four made-up channels) so that
/// `gazette digest --demo` shows the product with no network, no database and no subscriptions.
/// Dates are relative to `now`, so the demo is always "the last 24 hours".
public enum DemoPosts {
    struct Sample {
        var minutesAgo: Int
        var views: Int
        var text: String
    }

    struct DemoChannel {
        var id: Int64
        var username: String
        var title: String
        var samples: [Sample]
    }

    /// The demo's channels with their posts, in the shape the store returns (most posts first, newest first).
    public static func groups(now: Date) -> [ChannelPosts] {
        channels.map { demo in
            let channel = Channel(id: demo.id, ref: .telegram(username: demo.username),
                                  metadata: ChannelMetadata(title: demo.title), createdAt: now.addingTimeInterval(-30 * 86400))
            let posts = demo.samples.enumerated().map { i, sample in
                let id = Int64(1000 + demo.samples.count - i)
                return Post(channel: demo.username, messageID: id, text: sample.text,
                            date: now.addingTimeInterval(-Double(sample.minutesAgo) * 60), views: sample.views,
                            url: "https://t.me/\(demo.username)/\(id)")
            }
            return ChannelPosts(channel: channel, posts: posts.sorted { $0.date > $1.date })
        }
        .sorted { $0.posts.count != $1.posts.count ? $0.posts.count > $1.posts.count : $0.channel.id < $1.channel.id }
    }

    static let channels: [DemoChannel] = [
        DemoChannel(id: 1, username: "city_pulse_demo", title: "Городской пульс", samples: [
            Sample(minutesAgo: 35, views: 18_400, text: """
            🚇 С 1 декабря метро будет работать до 2 часов ночи по пятницам и субботам. \
            Решение приняли после опроса, в котором участвовали более 40 тыс. чел. \
            Интервал движения поездов ночью составит около 7 мин.
            """),
            Sample(minutesAgo: 190, views: 9_750, text: """
            На ул. Садовой начался ремонт трамвайных путей. Работы продлятся до 15 декабря, т.е. почти три недели. \
            Трамваи №3 и №7 временно пойдут в объезд по пр. Мира.
            Схема объезда: https://example.org/city/tram-detour.
            """),
            Sample(minutesAgo: 420, views: 12_100, text: """
            В городском парке открыли каток с искусственным льдом площадью 2,5 тыс. кв. м. \
            Вход бесплатный, прокат коньков стоит 300 руб. в час. Каток работает ежедневно с 10:00 до 22:00 ❄️
            """),
            Sample(minutesAgo: 610, views: 7_300, text: """
            Синоптики обещают первый сильный снегопад в выходные. За двое суток может выпасть до 20 см снега. \
            Коммунальные службы переведены в усиленный режим работы, на улицы выйдут 350 единиц техники.
            """),
            Sample(minutesAgo: 900, views: 5_200, text: """
            Библиотека им. А. С. Пушкина продлила часы работы: теперь читальный зал открыт до 23:00. \
            Кроме того, в библиотеке появилась зона для работы с ноутбуками и бесплатный Wi-Fi.
            """),
            Sample(minutesAgo: 1300, views: 4_100, text: """
            Совет дня: проверьте зимнюю резину до снегопада. Очереди в шиномонтаж в выходные обычно растут в 3 раза!
            """),
        ]),
        DemoChannel(id: 2, username: "swift_server_digest_demo", title: "Server-side Swift Weekly", samples: [
            Sample(minutesAgo: 60, views: 6_400, text: """
            Hummingbird 2.28 is out with faster routing and better request decoding. \
            The release also fixes a rare crash when a client closed the connection mid-request. \
            Upgrade notes: https://example.org/hummingbird/2.28.
            """),
            Sample(minutesAgo: 300, views: 3_900, text: """
            A new tutorial shows how to run a Swift service with Postgres on a $5 VPS. \
            It covers systemd units, structured logging and Prometheus metrics, e.g. request latency histograms. \
            Dr. Ortiz, who wrote it, says the whole set-up takes about 30 min.
            """),
            Sample(minutesAgo: 520, views: 5_100, text: """
            Swift 6.3 makes strict concurrency checking the default for new server packages. \
            Most libraries in the ecosystem already compile without warnings. \
            Teams report that data races found by the compiler were real bugs in 3 out of 4 cases.
            """),
            Sample(minutesAgo: 760, views: 2_800, text: """
            Quick tip 💡 use `withTaskGroup` to fetch several feeds at once, but cap the concurrency per host. \
            Two requests per host is a polite default for public sites.
            """),
            Sample(minutesAgo: 1100, views: 2_200, text: """
            Meetup reminder: the Server-side Swift meetup is on Thursday at 19:00 UTC. \
            Talks cover gRPC, OpenTelemetry tracing and zero-downtime deploys.
            """),
        ]),
        DemoChannel(id: 3, username: "nauka_kratko_demo", title: "Наука кратко", samples: [
            Sample(minutesAgo: 120, views: 15_800, text: """
            Астрономы обнаружили у ближайшей к Солнцу звезды ещё одну планету размером с Землю. \
            Она находится в так называемой зоне обитаемости, где может существовать жидкая вода. \
            Статья опубликована в журнале Nature: https://example.org/science/proxima-d.
            """),
            Sample(minutesAgo: 480, views: 8_600, text: """
            Российские физики создали детектор, который в 10 раз чувствительнее предыдущих моделей. \
            Прибор поможет искать тёмную материю и изучать нейтрино. Испытания пройдут в 2027 г. \
            Руководитель группы — проф. И. В. Смирнов.
            """),
            Sample(minutesAgo: 840, views: 6_900, text: """
            Почему зимой хочется спать? Учёные объясняют это нехваткой дневного света и изменением уровня мелатонина. \
            Прогулки днём и яркое освещение утром помогают чувствовать себя бодрее 🌞
            """),
            Sample(minutesAgo: 1200, views: 4_300, text: """
            Hummingbird 2.28 is out with faster routing and better request decoding. \
            The release also fixes a rare crash when a client closed the connection mid-request. \
            Upgrade notes: https://example.org/hummingbird/2.28.
            """),
        ]),
        DemoChannel(id: 4, username: "gazette_news_demo", title: "Gazette News", samples: [
            Sample(minutesAgo: 20, views: 1_500, text: """
            Welcome to Gazette! 👋 This is a demo digest built from sample posts shipped with the project. \
            Subscribe to real channels with `gazette channels add --user 1 @durov`, then run `gazette fetch --once`.
            """),
            Sample(minutesAgo: 700, views: 1_100, text: """
            Gazette summarizes every channel offline by default. \
            Set LLM_URL to any OpenAI-compatible server to get summaries written by a language model instead; \
            if it fails, Gazette falls back to the offline summarizer.
            """),
        ]),
    ]
}
