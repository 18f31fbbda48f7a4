/// Polls `condition` every 20 ms until it holds or `timeout` passes, and returns its last answer: the one way tests
/// wait for something asynchronous (no fixed sleeps). The deadline only bounds how long a failing test waits (a passing
/// one returns as soon as the condition holds), so it is generous: on the shared 2-core machine, under a parallel build,
/// a loopback round trip can take seconds.
public func eventually(timeout: Duration = .seconds(60), _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}
