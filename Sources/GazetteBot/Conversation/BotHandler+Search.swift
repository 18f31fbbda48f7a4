import Foundation
import GazetteCore
import GazetteDigest

extension BotHandler {
    /// Hits in the bot's answer: one message, read on a phone.
    static let searchHits = 5

    /// `/search words`: the best posts of the reader's channels, each a link with a snippet (matched words in bold).
    func search(_ text: String, userID: Int64, chatID: Int64) async throws {
        guard !text.isEmpty else {
            try await messenger.send(chatID: chatID, html: Screens.searchHelp)
            return
        }
        let page: PostSearch.Page
        do throws(SearchError) {
            page = try await PostSearch(store: store).search(PostSearch.Request(userID: userID, query: text, limit: Self.searchHits))
        } catch {
            switch error {
            case .invalidArgument(_, let reason):
                try await messenger.send(chatID: chatID, html: "⚠️ \(HTML.escape(reason)).\n\n" + Screens.searchHelp)
            case .database(let message):
                logger.warning("bot search failed", metadata: ["error": .string(message)])
                try await messenger.send(chatID: chatID, html: "⚠️ The search is not available right now. Please try again in a minute.")
            }
            return
        }
        try await messenger.send(chatID: chatID, html: Screens.searchResults(page))
    }
}
