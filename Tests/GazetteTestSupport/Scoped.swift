/// Runs `body` with `resource`, then `close`s it whatever `body` does (returns or throws): the one shape of a `with…`
/// harness's teardown, awaited before the test ends, never a fire-and-forget task.
public func using<Resource, Result>(_ resource: Resource, close: (Resource) async -> Void,
                                    _ body: (Resource) async throws -> Result) async throws -> Result {
    let result: Result
    do {
        result = try await body(resource)
    } catch {
        await close(resource)
        throw error
    }
    await close(resource)
    return result
}
