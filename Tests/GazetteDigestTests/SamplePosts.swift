import Foundation
import GazetteCore

/// Realistic posts written for the tests (not copied from any channel).
enum SamplePosts {
    static let base = Date(timeIntervalSince1970: 1_795_937_600)  // 2026-11-29

    static func post(_ channel: String, _ id: Int64, _ text: String, views: Int? = nil, minutesAgo: Int = 0) -> Post {
        Post(channel: channel, messageID: id, text: text, date: base.addingTimeInterval(-Double(minutesAgo) * 60), views: views,
             url: "https://t.me/\(channel)/\(id)")
    }

    /// A Russian tech channel writing mostly about one topic (electric-car batteries) and once about something else.
    static let russian: [Post] = [
        post("avto_tech", 101, """
        Производитель аккумуляторов представил новую батарею для электромобилей с запасом хода 800 км. \
        Батарея заряжается с 10 до 80% за 12 минут. Серийное производство начнётся в 2027 г.
        """, views: 21_000, minutesAgo: 30),
        post("avto_tech", 102, """
        Эксперты считают, что быстрая зарядка батареи электромобиля станет главным аргументом для покупателей. \
        Сейчас средняя зарядка занимает около 40 мин., т.е. втрое дольше.
        """, views: 9_400, minutesAgo: 90),
        post("avto_tech", 103, """
        Продажи электромобилей в России выросли на 60% за год. Больше всего покупателей интересует запас хода \
        и стоимость замены батареи 🔋
        """, views: 12_800, minutesAgo: 200),
        post("avto_tech", 104, """
        В субботу в Казани пройдёт фестиваль уличной еды. Вход свободный, начало в 12:00.
        """, views: 3_100, minutesAgo: 400),
        post("avto_tech", 105, """
        Сеть зарядных станций для электромобилей расширят до 5 тыс. точек к концу следующего года. \
        Новые станции поддержат быструю зарядку батареи мощностью до 350 кВт.
        Карта станций: https://example.org/charging/map.
        """, views: 15_500, minutesAgo: 600),
    ]

    /// An English channel about a space mission, with one unrelated post.
    static let english: [Post] = [
        post("space_wire", 201, """
        The Artemis crew completed the final rehearsal for the lunar landing on Friday. \
        NASA says the mission is on track for a launch in March.
        """, views: 44_000, minutesAgo: 20),
        post("space_wire", 202, """
        Engineers replaced a faulty valve in the lunar lander's propulsion system. \
        The fix delayed the landing rehearsal by two days but did not move the launch date.
        """, views: 18_200, minutesAgo: 150),
        post("space_wire", 203, """
        Our newsletter now has 10,000 subscribers! 🎉 Thank you for reading.
        """, views: 5_000, minutesAgo: 300),
        post("space_wire", 204, """
        Dr. Ellen Park, the mission's flight director, explained how the crew will train for the lunar landing \
        in the desert of Arizona. Photos: https://example.org/artemis/training.html.
        """, views: 21_700, minutesAgo: 500),
        post("space_wire", 205, """
        The launch window for the lunar mission opens on March 14 and lasts about two weeks, \
        i.e. the crew has several chances if the weather is bad.
        """, views: 16_900, minutesAgo: 700),
    ]
}
