import Foundation
import Testing
@testable import GazetteWeb

@Suite("Digest as HTML")
struct DigestHTMLTests {
    @Test("markdown becomes HTML: headings, lists, links with rel=noopener, tables")
    func basics() throws {
        let html = try DigestHTML.fragment(markdown: """
            # Gazette digest — 3 December 2026

            ## Top stories

            ### 1. Rates held

            - [Alpha News, 10:00](https://t.me/alpha_news/1) — the bank held the rate
            - plain item

            | a | b |
            |---|---|
            | 1 | 2 |
            """)
        #expect(html.contains("<h1>Gazette digest — 3 December 2026</h1>"))
        #expect(html.contains("<h3>1. Rates held</h3>"))
        #expect(html.contains(#"<a rel="noopener noreferrer" href="https://t.me/alpha_news/1">Alpha News, 10:00</a>"#))
        #expect(html.contains("<table>") && html.contains("<td>2</td>"))
    }

    @Test("raw HTML and script links never pass through")
    func unsafeInput() throws {
        let html = try DigestHTML.fragment(markdown: """
            Hello <script>alert(1)</script> <b onclick="x()">bold</b>

            <iframe src="https://evil.example"></iframe>

            [click](javascript:alert(1)) and [data](data:text/html;base64,PHNjcmlwdD4=)

            ![pic](javascript:alert(2))
            """) { $0 }
        #expect(!html.contains("<script"))
        #expect(!html.contains("<b onclick"))
        #expect(!html.contains("<iframe"))
        #expect(!html.contains("javascript:"))
        #expect(!html.contains("data:text/html"))
        #expect(html.contains("raw HTML omitted"))
    }

    @Test("escaped text from posts stays text")
    func escapedText() throws {
        let html = try DigestHTML.fragment(markdown: #"A post said \<b\>hi\</b\> & 5 \> 3 "quoted""#)
        #expect(html.contains("A post said &lt;b&gt;hi&lt;/b&gt; &amp; 5 &gt; 3 &quot;quoted&quot;"))
    }

    @Test("pictures: src from the image source, or their alt text without one")
    func pictures() throws {
        let markdown = "Before\n\n![A *red* tram](https://cdn.example/t.jpg)\n\n![](https://cdn.example/unknown.png)\n"
        let proxied = try DigestHTML.fragment(markdown: markdown) { url in
            url == "https://cdn.example/t.jpg" ? "/u/TOKEN/img/abc" : nil
        }
        #expect(proxied.contains(#"<img loading="lazy" src="/u/TOKEN/img/abc" alt="A red tram" />"#))
        #expect(!proxied.contains("cdn.example"))
        #expect(proxied.contains("[picture]"))
        let plain = try DigestHTML.fragment(markdown: markdown)
        #expect(!plain.contains("<img"))
        #expect(plain.contains("[A red tram]") && !plain.contains("cdn.example"))
    }

    @Test("the overview chart becomes a table whose cells are text")
    func chart() throws {
        let html = try DigestHTML.fragment(markdown: """
            ## Overview

            ```gazette-chart
            title: Posts and views per channel
            channel | posts | views
            Alpha *News* <b> | 12 | 337600
            Beta | 3 | 0
            ```

            ```swift
            let x = 1
            ```
            """)
        #expect(html.contains("<strong>Posts and views per channel</strong>"))
        #expect(html.contains("<th>channel</th>"))
        #expect(html.contains("<td>Alpha *News* &lt;b&gt;</td>"))
        #expect(html.contains("<td align=\"right\">337\u{202F}600</td>"))
        #expect(!html.contains("gazette-chart"))
        #expect(html.contains("<code class=\"language-swift\">"), "other code blocks stay code")
    }

    @Test("invalid UTF-8 and empty input give a fragment, never a crash")
    func oddInput() throws {
        #expect(try DigestHTML.fragment(markdown: "") == "")
        let broken = String(decoding: [0x61, 0xFF, 0xFE, 0x62], as: UTF8.self)
        #expect(try DigestHTML.fragment(markdown: broken).contains("a"))
        let deep = String(repeating: "> ", count: 5000) + "deep"
        #expect(try DigestHTML.fragment(markdown: deep).contains("deep"))
    }

    @Test("the e-mail template wraps the fragment and escapes the rest")
    func email() throws {
        let templates = try WebTemplates()
        let body = try templates.emailHTML(title: "Digest <3 December>", fragment: "<p>Hi</p>", lang: "ru", footer: "Sent by <Gazette>")
        #expect(body.hasPrefix("<!doctype html>"))
        #expect(body.contains(#"<html lang="ru">"#))
        #expect(body.contains("<title>Digest &lt;3 December&gt;</title>"))
        #expect(body.contains("<p>Hi</p>"))
        #expect(body.contains("Sent by &lt;Gazette&gt;"))
    }
}
