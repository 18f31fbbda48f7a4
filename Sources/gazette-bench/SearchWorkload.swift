import Foundation
import GazetteCore

/// Generated posts for the search benchmark: Russian (60 %) and English (40 %) news-like text of about 300 characters,
/// with words in their inflected forms (so a query in one form must find the others) and a long tail of rare words
/// (names, places). Content words follow a Zipf–Mandelbrot law over a 100,000-word vocabulary per language, like real
/// text: the commonest appears in about one post in seven, a typical topic word in one or two in a hundred. Function
/// words ("в", "на", "the", "of") are mixed in at about a third of the words. Deterministic: batch `i` is always the
/// same posts, so two stores get identical data.
struct SearchWorkload: Sendable {
    let channels: Int
    let postsPerChannel: Int
    let start = Date(timeIntervalSince1970: 1_764_000_000)

    static let vocabularySize = 100_000

    // Russian lemmas as stem + ending patterns; the forms are what the text holds.
    static let masculine = ["город", "банк", "закон", "суд", "завод", "проект", "бюджет", "налог", "министр", "президент",
        "губернатор", "район", "мост", "транспорт", "автобус", "поезд", "рынок", "курс", "доход", "кредит", "фонд", "спорт",
        "матч", "клуб", "турнир", "театр", "концерт", "фестиваль", "музей", "парк", "вокзал", "аэропорт", "порт", "флот",
        "договор", "кандидат", "депутат", "парламент", "совет", "комитет", "штаб", "отчёт", "рост", "спрос", "экспорт",
        "импорт", "тариф", "маршрут", "ремонт", "пожар", "дождь", "снег", "ветер", "урожай", "сезон", "праздник", "запуск",
        "спутник", "телескоп", "институт", "университет", "студент", "учёный", "врач", "пациент", "вирус", "препарат",
        "рекорд", "чемпион", "тренер", "игрок", "гол", "сбор", "прогноз", "результат", "объект", "контракт", "сайт"]
    static let masculineEndings = ["", "а", "у", "ом", "е", "ы", "ов", "ам", "ами", "ах"]
    static let feminine = ["страна", "власть", "компания", "школа", "больница", "дорога", "улица", "площадь", "станция",
        "цена", "зарплата", "пенсия", "реформа", "программа", "система", "сеть", "связь", "выставка", "премьера", "книга",
        "команда", "игра", "победа", "лига", "погода", "температура", "авария", "проверка", "забастовка", "встреча",
        "конференция", "выборы", "партия", "армия", "граница", "столица", "область", "республика", "экономика", "инфляция",
        "ставка", "валюта", "нефть", "энергия", "электростанция", "технология", "разработка", "платформа", "поддержка",
        "помощь", "семья", "молодёжь", "культура", "история", "наука", "медицина", "вакцина", "клиника", "статья", "новость"]
    static let feminineEndings = ["а", "ы", "е", "у", "ой", "ам", "ами", "ах"]
    static let neuter = ["правительство", "министерство", "агентство", "строительство", "производство", "население",
        "решение", "заявление", "соглашение", "движение", "отделение", "управление", "предприятие", "событие", "мероприятие",
        "здание", "метро", "образование", "исследование", "обновление"]
    static let neuterEndings = ["", "а", "у", "ом", "и", "ий", "ям", "ями"]
    static let adjectives = ["нов", "стар", "быстр", "красн", "главн", "официальн", "государственн", "федеральн", "местн",
        "крупн", "важн", "городск", "региональн", "международн", "экономическ", "политическ", "спортивн", "научн",
        "медицинск", "культурн", "технологическ", "энергетическ", "транспортн", "финансов", "социальн", "военн",
        "морск", "северн", "южн", "западн", "восточн", "центральн", "частн", "общественн", "открыт", "закрыт"]
    static let adjectiveEndings = ["ый", "ая", "ое", "ые", "ого", "ой", "ым", "ых", "ую", "ыми"]
    static let verbs = ["работ", "обсужд", "получ", "отмеч", "начин", "сообщ", "продолж", "изуч", "рассматрив", "повыш",
        "сниж", "закрыв", "открыв", "покуп", "ожид", "приним", "поддержив", "запуск", "обещ", "объявл", "выполн", "заявл"]
    static let verbEndings = ["ать", "ает", "ают", "ал", "ала", "али", "аем"]

    static let englishNouns = ["city", "bank", "law", "court", "plant", "project", "budget", "tax", "minister", "president",
        "governor", "district", "bridge", "bus", "train", "market", "rate", "income", "loan", "fund", "sport", "match", "club",
        "tournament", "theatre", "concert", "festival", "museum", "park", "station", "airport", "port", "fleet", "treaty",
        "candidate", "deputy", "parliament", "council", "committee", "report", "growth", "demand", "export", "import", "tariff",
        "route", "repair", "fire", "storm", "harvest", "season", "holiday", "launch", "satellite", "telescope", "institute",
        "university", "student", "scientist", "doctor", "patient", "virus", "drug", "record", "champion", "coach", "player",
        "goal", "forecast", "result", "contract", "country", "company", "school", "hospital", "road", "street", "square",
        "price", "salary", "pension", "reform", "program", "system", "network", "exhibition", "premiere", "book", "team",
        "game", "victory", "league", "weather", "accident", "inspection", "strike", "meeting", "conference", "election",
        "party", "army", "border", "capital", "region", "economy", "inflation", "currency", "oil", "energy", "technology",
        "platform", "family", "culture", "history", "science", "medicine", "vaccine", "article", "government", "agency",
        "decision", "statement", "agreement", "event", "building", "subway", "study", "update", "investor", "share"]
    static let englishVerbs = ["work", "discuss", "report", "start", "announc", "continu", "stud", "rais", "cut", "clos",
        "open", "buy", "expect", "accept", "support", "launch", "promis", "declar", "complet", "approv", "reject", "increas"]
    static let englishAdjectives = ["new", "old", "fast", "main", "official", "federal", "local", "large", "important",
        "regional", "international", "economic", "political", "scientific", "medical", "public", "private", "northern",
        "southern", "central", "open", "closed", "annual", "digital", "national"]

    static let russianFunction = ["в", "на", "и", "с", "по", "для", "что", "не", "к", "о", "из", "от", "за", "как", "это"]
    static let englishFunction = ["the", "of", "and", "in", "to", "a", "for", "on", "with", "that", "is", "by", "at", "from"]

    /// Every content word form, by lemma: the Zipf ranks are lemmas, a post shows one of a lemma's forms.
    struct Vocabulary: Sendable {
        var lemmas: [[String]]
        var function: [String]
        /// Cumulative Zipf–Mandelbrot weights of the lemmas, for sampling by binary search.
        var cumulative: [Double]
    }

    static let russian: Vocabulary = {
        var real: [[String]] = []
        real += masculine.map { stem in masculineEndings.map { stem + $0 } }
        real += feminine.map { word in
            let stem = String(word.dropLast())
            return feminineEndings.map { stem + $0 }
        }
        real += neuter.map { word in
            let stem = String(word.dropLast())
            return word == "метро" ? [word] : [word] + neuterEndings.dropFirst().map { stem + $0 }
        }
        real += adjectives.map { stem in adjectiveEndings.map { stem + $0 } }
        real += verbs.map { stem in verbEndings.map { stem + $0 } }
        return vocabulary(real: shuffled(real, seed: 1), tail: "бвгдклмнпрстхцчш", vowels: "аеиоу", endings: ["ск", "ов", "ин", "ево", "ия"],
                          function: russianFunction)
    }()

    static let english: Vocabulary = {
        var real: [[String]] = []
        real += englishNouns.map { [$0, $0 + "s"] }
        real += englishVerbs.map { stem in [stem + "ed", stem + "ing", stem + "s", stem + "e"] }
        real += englishAdjectives.map { [$0] }
        return vocabulary(real: shuffled(real, seed: 2), tail: "bcdfgklmnprstvz", vowels: "aeiou", endings: ["ton", "ville", "son", "ia", "ar"],
                          function: englishFunction)
    }()

    /// The real words first (the commonest ranks), then made-up rare words (names, places) up to `vocabularySize`.
    static func vocabulary(real: [[String]], tail consonants: String, vowels: String, endings: [String], function: [String]) -> Vocabulary {
        var lemmas = real
        let c = Array(consonants), v = Array(vowels)
        var state: UInt64 = 0xC0FF_EE00 &+ UInt64(consonants.count)
        while lemmas.count < vocabularySize {
            var word = ""
            for _ in 0..<(2 + Int(next(&state) % 2)) {
                word.append(c[Int(next(&state) % UInt64(c.count))])
                word.append(v[Int(next(&state) % UInt64(v.count))])
            }
            word += endings[Int(next(&state) % UInt64(endings.count))]
            lemmas.append([word])
        }
        var total = 0.0
        let cumulative = (0..<lemmas.count).map { rank -> Double in
            total += 1 / (Double(rank) + 20)
            return total
        }
        return Vocabulary(lemmas: lemmas, function: function, cumulative: cumulative)
    }

    static func shuffled(_ items: [[String]], seed: UInt64) -> [[String]] {
        var state = seed
        var out = items
        for i in stride(from: out.count - 1, to: 0, by: -1) { out.swapAt(i, Int(next(&state) % UInt64(i + 1))) }
        return out
    }

    @inline(__always)
    static func next(_ state: inout UInt64) -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state >> 33
    }

    static func unit(_ state: inout UInt64) -> Double { Double(next(&state)) / Double(1 << 31) }

    /// A lemma's rank by the Zipf law.
    static func rank(_ vocabulary: Vocabulary, _ state: inout UInt64) -> Int {
        let target = unit(&state) * (vocabulary.cumulative.last ?? 1)
        var low = 0, high = vocabulary.cumulative.count - 1
        while low < high {
            let mid = (low + high) / 2
            if vocabulary.cumulative[mid] < target { low = mid + 1 } else { high = mid }
        }
        return low
    }

    var total: Int { channels * postsPerChannel }

    static func channelName(_ i: Int) -> String { "search_bench_\(i)" }

    /// Post `index` (0-based, over all channels: channel `index % channels`), always the same.
    func post(_ index: Int) -> (channel: Int, post: Post) {
        var state = UInt64(index) &* 0x9E37_79B9_7F4A_7C15 &+ 7
        _ = Self.next(&state)
        let isRussian = Self.next(&state) % 10 < 6
        let vocabulary = isRussian ? Self.russian : Self.english
        var sentences: [String] = []
        var length = 0
        while length < 280 {
            var words: [String] = []
            for _ in 0..<(6 + Int(Self.next(&state) % 7)) {
                if Self.next(&state) % 3 == 0 {
                    words.append(vocabulary.function[Int(Self.next(&state) % UInt64(vocabulary.function.count))])
                } else {
                    let forms = vocabulary.lemmas[Self.rank(vocabulary, &state)]
                    words.append(forms[Int(Self.next(&state) % UInt64(forms.count))])
                }
            }
            if Self.next(&state) % 4 == 0 { words.append(String(2000 + Self.next(&state) % 30)) }
            var sentence = words.joined(separator: " ")
            sentence = sentence.prefix(1).uppercased() + sentence.dropFirst() + "."
            sentences.append(sentence)
            length += sentence.count + 1
        }
        let channel = index % channels
        let messageID = Int64(index / channels + 1)
        let name = Self.channelName(channel)
        return (channel, Post(channel: name, messageID: messageID, text: sentences.joined(separator: " "), date: start.addingTimeInterval(Double(index) * 3),
                              views: 100 + Int(Self.next(&state) % 10_000), url: "https://t.me/\(name)/\(messageID)"))
    }

    /// Queries of each kind, drawn from what the posts hold: `oneWord` a topic word (one of the real words, in a form
    /// chosen at random: the index holds all its forms) or, one time in four, a rare word; `twoWords` two topic words;
    /// `phrase` two adjacent words of a generated post, quoted.
    func queries(_ count: Int, seed: UInt64) -> (oneWord: [String], twoWords: [String], phrase: [String]) {
        var state = seed
        func topicWord() -> String {
            let russian = Self.next(&state) % 10 < 6
            let vocabulary = russian ? Self.russian : Self.english
            let realCount = russian ? Self.russianRealCount : Self.englishRealCount
            let rank = Self.next(&state) % 4 == 0 ? realCount + Int(Self.next(&state) % UInt64(Self.vocabularySize - realCount))
                : Int(Self.next(&state) % UInt64(realCount))
            let forms = vocabulary.lemmas[rank]
            return forms[Int(Self.next(&state) % UInt64(forms.count))]
        }
        let one = (0..<count).map { _ in topicWord() }
        let two = (0..<count).map { _ in topicWord() + " " + topicWord() }
        let phrases = (0..<count).map { _ -> String in
            let text = post(Int(Self.next(&state) % UInt64(total))).post.text
            let words = text.split(whereSeparator: { !$0.isLetter }).map(String.init)
            let i = Int(Self.next(&state) % UInt64(max(words.count - 1, 1)))
            return "\"\(words[i]) \(words[min(i + 1, words.count - 1)])\""
        }
        return (one, two, phrases)
    }

    static let russianRealCount = masculine.count + feminine.count + neuter.count + adjectives.count + verbs.count
    static let englishRealCount = englishNouns.count + englishVerbs.count + englishAdjectives.count
}
