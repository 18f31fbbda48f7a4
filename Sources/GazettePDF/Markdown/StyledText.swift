/// Inline formatting that maps onto Pango attributes.
struct InlineStyle: OptionSet, Hashable {
    let rawValue: UInt8
    static let bold = InlineStyle(rawValue: 1 << 0)
    static let italic = InlineStyle(rawValue: 1 << 1)
    static let strike = InlineStyle(rawValue: 1 << 2)
    static let code = InlineStyle(rawValue: 1 << 3)
    static let link = InlineStyle(rawValue: 1 << 4)
}

/// A styled byte range of a `StyledText` (UTF-8 offsets, as Pango wants them).
struct StyledRun: Equatable {
    var start: Int
    var end: Int
    var style: InlineStyle
}

/// A clickable byte range.
struct LinkSpan: Equatable {
    var start: Int
    var end: Int
    var url: String
}

/// UTF-8 text plus style runs and link ranges: the input of one Pango layout.
struct StyledText {
    private(set) var bytes: [UInt8] = []
    private(set) var runs: [StyledRun] = []
    private(set) var links: [LinkSpan] = []

    var isEmpty: Bool { bytes.isEmpty }
    var plainText: String { String(decoding: bytes, as: UTF8.self) }

    mutating func append<C: Collection>(utf8: C, style: InlineStyle = [], link: String? = nil) where C.Element == UInt8 {
        guard !utf8.isEmpty else { return }
        let start = bytes.count
        bytes.append(contentsOf: utf8)
        let end = bytes.count
        if !style.isEmpty {
            if let last = runs.last, last.end == start, last.style == style {
                runs[runs.count - 1].end = end
            } else {
                runs.append(StyledRun(start: start, end: end, style: style))
            }
        }
        if let link {
            if let last = links.last, last.end == start, last.url == link {
                links[links.count - 1].end = end
            } else {
                links.append(LinkSpan(start: start, end: end, url: link))
            }
        }
    }

    mutating func append(_ text: String, style: InlineStyle = [], link: String? = nil) {
        append(utf8: Array(text.utf8), style: style, link: link)
    }

    /// Applies `style` to every byte (table header cells are bold throughout).
    mutating func addStyleEverywhere(_ style: InlineStyle) {
        guard !bytes.isEmpty else { return }
        var merged: [StyledRun] = []
        var cursor = 0
        for run in runs {
            if run.start > cursor { merged.append(StyledRun(start: cursor, end: run.start, style: style)) }
            merged.append(StyledRun(start: run.start, end: run.end, style: run.style.union(style)))
            cursor = run.end
        }
        if cursor < bytes.count { merged.append(StyledRun(start: cursor, end: bytes.count, style: style)) }
        runs = merged
    }

    /// Drops trailing whitespace and line breaks (a hard break at the end of a paragraph adds nothing).
    mutating func trimTrailingWhitespace() {
        var end = bytes.count
        while end > 0, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x0A { end -= 1 }
        guard end < bytes.count else { return }
        bytes.removeSubrange(end...)
        runs = runs.compactMap { run in
            run.start >= end ? nil : StyledRun(start: run.start, end: min(run.end, end), style: run.style)
        }
        links = links.compactMap { link in
            link.start >= end ? nil : LinkSpan(start: link.start, end: min(link.end, end), url: link.url)
        }
    }

    /// Drops leading spaces and line breaks (the text after a picture that split its paragraph).
    mutating func trimLeadingWhitespace() {
        var start = 0
        while start < bytes.count, bytes[start] == 0x20 || bytes[start] == 0x0A { start += 1 }
        guard start > 0 else { return }
        self = slice(start, bytes.count)
    }

    /// Splits very long text into pieces of at most about `maxBytes` so that no single Pango layout
    /// (and its shaping work) grows without bound. Cuts prefer a space and never split a UTF-8 sequence.
    func chunked(maxBytes: Int) -> [StyledText] {
        guard bytes.count > maxBytes else { return [self] }
        var pieces: [StyledText] = []
        var start = 0
        while start < bytes.count {
            var end = min(start + maxBytes, bytes.count)
            if end < bytes.count {
                var cut = end
                let floor = start + maxBytes / 2
                while cut > floor, bytes[cut - 1] != 0x20 { cut -= 1 }
                if cut > floor { end = cut } else {
                    while end > start + 1, bytes[end] & 0xC0 == 0x80 { end -= 1 }
                }
            }
            pieces.append(slice(start, end))
            start = end
        }
        return pieces
    }

    private func slice(_ start: Int, _ end: Int) -> StyledText {
        var piece = StyledText()
        piece.bytes = Array(bytes[start..<end])
        piece.runs = runs.compactMap { run in
            let s = max(run.start, start), e = min(run.end, end)
            return s < e ? StyledRun(start: s - start, end: e - start, style: run.style) : nil
        }
        piece.links = links.compactMap { link in
            let s = max(link.start, start), e = min(link.end, end)
            return s < e ? LinkSpan(start: s - start, end: e - start, url: link.url) : nil
        }
        return piece
    }
}
