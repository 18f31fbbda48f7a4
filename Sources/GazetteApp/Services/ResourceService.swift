import ServiceLifecycle

/// A resource of the process (the store's pool or file, an HTTP client) as a member of its service group: it is
/// closed once the group shuts down. Listed before the services that use it, it is closed after them (a group
/// stops its services in reverse order).
struct ResourceService: Service, CustomStringConvertible {
    let description: String
    private let close: @Sendable () async -> Void

    init(_ name: String, close: @escaping @Sendable () async -> Void) {
        self.description = name
        self.close = close
    }

    func run() async throws {
        do {
            try await gracefulShutdown()
        } catch {
            // Cancelled instead of shut down gracefully: close all the same.
        }
        await close()
    }
}
