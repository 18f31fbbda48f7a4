import Foundation
import GazetteCore
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import Testing
@testable import GazetteWeb

/// `/u/<token>/search` (issue 27) on the web reader's harness: a real SQLite store, Hummingbird's test client.
@Suite("Web reader: search")
struct WebSearchTests {
    func body(_ response: TestResponse) -> String { String(buffer: response.body) }

    @Test("results with marked words, escaped; the box on every page; the form's encoding")
    func results() async throws {
        try await WebReaderTests.withReader { h in
            try await h.app.test(.router) { client in
                let page = try await client.execute(uri: "/u/\(h.token)/search?q=banks+%22key+rate%22", method: .get)
                #expect(page.status == .ok)
                let html = body(page)
                #expect(html.contains("Posts about «banks &quot;key rate&quot;»"))
                #expect(html.contains("The central <mark>bank</mark> held the <mark>key rate</mark> at 16.5%"))
                #expect(html.contains(#"href="https://t.me/alpha_news/1""#))
                #expect(html.contains("Alpha &lt;News&gt;"))
                #expect(html.contains(#"<input type="search" name="q" value="banks &quot;key rate&quot;""#))
                #expect(!html.contains("<script"))
                #expect(page.headers[.contentSecurityPolicy]?.contains("form-action 'self'") == true)
                // The post whose text has <script> is shown as text, marked word and all.
                let script = body(try await client.execute(uri: "/u/\(h.token)/search?q=budget", method: .get))
                #expect(script.contains("&lt;script&gt;alert("))
                #expect(script.contains("<mark>budget</mark>"))
                #expect(!script.contains("<script>"))
                // The search box is on the other pages too.
                let home = body(try await client.execute(uri: "/u/\(h.token)/", method: .get))
                #expect(home.contains(#"<form class="search" role="search" action="/u/\#(h.token)/search" method="get">"#))
            }
        }
    }

    @Test("nothing found, an empty box, malformed queries and bad parameters say so; another reader finds nothing")
    func refusals() async throws {
        try await WebReaderTests.withReader { h in
            try await h.app.test(.router) { client in
                let none = try await client.execute(uri: "/u/\(h.token)/search?q=volcano", method: .get)
                #expect(none.status == .ok && body(none).contains("No post of your channels matches"))
                let empty = try await client.execute(uri: "/u/\(h.token)/search", method: .get)
                #expect(empty.status == .ok && body(empty).contains("Search your channels"))
                let unclosed = try await client.execute(uri: "/u/\(h.token)/search?q=%22key+rate", method: .get)
                #expect(unclosed.status == .badRequest)
                #expect(body(unclosed).contains("a quote is not closed"))
                #expect(body(unclosed).contains(#"value="&quot;key rate""#))
                let page = try await client.execute(uri: "/u/\(h.token)/search?q=bank&page=999", method: .get)
                #expect(page.status == .badRequest && body(page).contains("page: expected 1…50"))
                let since = try await client.execute(uri: "/u/\(h.token)/search?q=bank&since=soon", method: .get)
                #expect(since.status == .badRequest && body(since).contains("since: expected"))
                let channel = try await client.execute(uri: "/u/\(h.token)/search?q=bank&channel=%40nobody_here", method: .get)
                #expect(channel.status == .badRequest && body(channel).contains("you do not follow nobody_here"))
                let only = try await client.execute(uri: "/u/\(h.token)/search?q=bank&channel=alpha_news&since=7d", method: .get)
                #expect(only.status == .ok && body(only).contains("In Alpha &lt;News&gt; only"))
                #expect(body(only).contains(#"aria-current="page">7 days"#))
                let sql = try await client.execute(uri: "/u/\(h.token)/search?q=%27%29%3B+DROP+TABLE+posts%3B+--", method: .get)
                #expect(sql.status == .ok)
                // A second reader with a token of their own sees none of reader 1's posts.
                let other = try #require(try await WebToken.issue(userID: 2, rotate: false, store: h.store))
                let theirs = try await client.execute(uri: "/u/\(other)/search?q=bank", method: .get)
                #expect(theirs.status == .ok && body(theirs).contains("No post of your channels matches"))
            }
        }
    }

    @Test func formValuesDecodeLikeABrowserSendsThem() {
        #expect(WebReader.formValues("q=a+b%2Bc&q=second&since=7d&empty=") == ["q": "a b+c", "since": "7d", "empty": ""])
        #expect(WebReader.formValues("q=%E2%80%9C%D0%BC%D0%B5%D1%82%D1%80%D0%BE%E2%80%9D") == ["q": "“метро”"])
        #expect(WebReader.formValues("q=%ZZ") == ["q": "%ZZ"])
        #expect(WebReader.formValues(nil) == [:])
        #expect(WebReader.formEncoded("a b&c=«d»") == "a%20b%26c%3D%C2%ABd%C2%BB")
    }
}
