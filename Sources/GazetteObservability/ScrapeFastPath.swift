import GazetteCore
import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Answers `GET /metrics` on the connection's event loop, in the channel pipeline, instead of handing the request
/// to the router's task on Swift's cooperative pool and the response back to the event loop: two thread hops
/// fewer per scrape. Every other request, and a scrape that arrives while an earlier request of the same
/// connection is still being answered (HTTP/1.1 pipelining keeps responses in order), goes to the router as before.
final class ScrapeFastPath: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let scrape: @Sendable () -> ByteBuffer
    private let record: @Sendable (Double) -> Void
    /// Requests passed to the router whose response has not ended yet.
    private var passedOn = 0
    private var answering: ContinuousClock.Instant?

    init(scrape: @escaping @Sendable () -> ByteBuffer, record: @escaping @Sendable (Double) -> Void) {
        self.scrape = scrape
        self.record = record
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            if passedOn == 0, Self.isScrape(head) {
                answering = .now
                return
            }
            passedOn += 1
        case .body:
            if answering != nil { return }
        case .end:
            if let start = answering {
                answering = nil
                respond(context: context, since: start)
                return
            }
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data), passedOn > 0 { passedOn -= 1 }
        context.write(data, promise: promise)
    }

    private func respond(context: ChannelHandlerContext, since start: ContinuousClock.Instant) {
        let body = scrape()
        var fields = HTTPFields()
        fields[.contentType] = Observability.expositionContentType
        fields[.contentLength] = String(body.readableBytes)
        context.write(wrapOutboundOut(.head(HTTPResponse(status: .ok, headerFields: fields))), promise: nil)
        context.write(wrapOutboundOut(.body(body)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        record((ContinuousClock.now - start).inSeconds)
    }

    /// `GET /metrics` (any query) on a connection the client keeps open; anything else takes the usual path.
    private static func isScrape(_ head: HTTPRequest) -> Bool {
        guard head.method == .get, let path = head.path,
              path == "/metrics" || path.hasPrefix("/metrics?") else { return false }
        return !(head.headerFields[.connection]?.lowercased().contains("close") ?? false)
    }
}
