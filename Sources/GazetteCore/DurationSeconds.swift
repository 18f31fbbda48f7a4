extension Duration {
    /// The duration as fractional seconds, the unit of every `*_seconds` metric and benchmark figure.
    public var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
