import Foundation
import GazetteCore
import Hummingbird

/// Records `http_requests_total` and `http_request_duration_seconds` for every request, by route pattern.
struct HTTPMetricsMiddleware<Context: Hummingbird.RequestContext>: RouterMiddleware {
    let metrics: HTTPMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            record(request, context, status: Int(response.status.code), since: start)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            record(request, context, status: Int(status), since: start)
            throw error
        }
    }

    private func record(_ request: Request, _ context: Context, status: Int, since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        let seconds = elapsed.inSeconds
        metrics.record(route: context.endpointPath ?? "unmatched", method: request.method.rawValue, status: status, seconds: seconds)
    }
}
