import Testing
@testable import GazetteDigest

@Suite struct SentenceSplitterTests {
    @Test func splitsRussianProseAndKeepsAbbreviations() {
        let text = "Встреча пройдёт в г. Москве, на ул. Тверской, д. 7. Докладчик — проф. Иванов, т.е. руководитель лаборатории. "
            + "Вход свободный!"
        #expect(SentenceSplitter.split(text) == [
            "Встреча пройдёт в г. Москве, на ул. Тверской, д. 7.",
            "Докладчик — проф. Иванов, т.е. руководитель лаборатории.",
            "Вход свободный!",
        ])
    }

    @Test func initialsAndSentenceFinalAbbreviations() {
        let text = "Памятник А. С. Пушкину отреставрируют. Купили краску, кисти и т.д. Работы начнутся в 2027 г. Подробности позже."
        #expect(SentenceSplitter.split(text) == [
            "Памятник А. С. Пушкину отреставрируют.",
            "Купили краску, кисти и т.д.",
            "Работы начнутся в 2027 г.",
            "Подробности позже.",
        ])
    }

    @Test func englishAbbreviationsNumbersAndURLs() {
        let text = "Dr. Smith joined the U.S. team on Monday. Revenue grew 3.5% to $1.2 billion, e.g. in Europe. "
            + "Read more at https://example.org/news/2026.11.29/report.html. Thanks!"
        #expect(SentenceSplitter.split(text) == [
            "Dr. Smith joined the U.S. team on Monday.",
            "Revenue grew 3.5% to $1.2 billion, e.g. in Europe.",
            "Read more at https://example.org/news/2026.11.29/report.html.",
            "Thanks!",
        ])
    }

    @Test func emojiStayWithTheirSentence() {
        let text = "Готово! 🎉 Новая версия уже в магазине 🚀. Обновляйтесь скорее… Спасибо за отзывы ❤️"
        #expect(SentenceSplitter.split(text) == [
            "Готово! 🎉",
            "Новая версия уже в магазине 🚀.",
            "Обновляйтесь скорее…",
            "Спасибо за отзывы ❤️",
        ])
    }

    @Test func lineBreaksAndListsAreBoundaries() {
        let text = "Plan for today:\n1. Ship the release\n2. Write the notes\n• Celebrate 🎉\n\n— Lunch at 13:00"
        #expect(SentenceSplitter.split(text) == [
            "Plan for today:", "1. Ship the release", "2. Write the notes", "Celebrate 🎉", "Lunch at 13:00",
        ])
    }

    @Test func lowercaseAfterDotDoesNotSplitAndQuotesClose() {
        let text = "Он сказал: «Мы готовы.» Потом ушёл. Версия 2.0 вышла вчера, см. changelog."
        #expect(SentenceSplitter.split(text) == [
            "Он сказал: «Мы готовы.»",
            "Потом ушёл.",
            "Версия 2.0 вышла вчера, см. changelog.",
        ])
    }

    @Test func emptyAndPunctuationOnlyTextGivesNoSentences() {
        #expect(SentenceSplitter.split("").isEmpty)
        #expect(SentenceSplitter.split("   \n\n ... !!! 🎉").isEmpty)
    }

    /// `first` reads a prefix of a long text; it must find what splitting the whole text finds.
    @Test func firstIsTheFirstOfSplitWhateverTheWindow() {
        let long = String(repeating: "Правительство утвердило план на 2026 г. и выделило 3,5 млрд руб. ", count: 40)
        let texts = SamplePosts.russian.map(\.text) + SamplePosts.english.map(\.text) + [
            long,
            "• " + long,
            "См. https://example.org/a.b.c/d?e=1. " + long,
            String(repeating: "word ", count: 400) + "end. Next one.",
            "Готово! 🎉 " + long,
            "",
        ]
        for text in texts {
            for window in [16, 64, 256, 1024] {
                #expect(SentenceSplitter.first(text, window: window) == SentenceSplitter.split(text).first, "window \(window)")
            }
        }
    }
}
