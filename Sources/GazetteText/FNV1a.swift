/// FNV-1a, 64 bits, over bytes: the same hash in every process and on every run, unlike Swift's `Hasher`, which is
/// seeded per process. The stemmer's memo keys words by it, and the LLM summarizer sets chunk boundaries with it.
public enum FNV1a {
    @inlinable
    public static func hash(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return h
    }
}
