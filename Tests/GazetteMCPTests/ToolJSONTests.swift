import Foundation
import Testing
@testable import GazetteMCP

@Suite struct ToolJSONTests {
    static let moment = Date(timeIntervalSince1970: 1_715_938_200)  // 2024-05-17T09:30:00Z

    /// The forms a client may write one UTC moment in, the earlier system's Python `isoformat()` ones included.
    @Test(arguments: [
        "2024-05-17T09:30:00Z",
        "2024-05-17T09:30:00+00:00",
        "2024-05-17T12:30:00+03:00",
        "2024-05-17T09:30:00.000Z",
        "2024-05-17T09:30:00",
        " 2024-05-17T09:30:00 ",
    ])
    func parsesTheMoment(text: String) throws {
        #expect(try #require(ToolJSON.parseDate(text)) == Self.moment)
    }

    @Test func keepsFractionsOfPythonIsoformat() throws {
        let withOffset = try #require(ToolJSON.parseDate("2024-05-17T09:30:00.123456+00:00"))
        let without = try #require(ToolJSON.parseDate("2024-05-17T09:30:00.123456"))
        #expect(abs(withOffset.timeIntervalSince(Self.moment) - 0.123456) < 0.001)
        #expect(without == withOffset)
    }

    @Test func aCalendarDateIsItsMidnightUTC() throws {
        #expect(try #require(ToolJSON.parseDate("2024-05-17")) == Date(timeIntervalSince1970: 1_715_904_000))
    }

    @Test(arguments: ["", "soon", "17.05.2024", "2024-13-01", "2024-5-17", "1715938200"])
    func refusesWhatIsNotISO8601(text: String) {
        #expect(ToolJSON.parseDate(text) == nil)
    }

    /// A calendar date followed by anything is not read as that day's midnight.
    @Test(arguments: ["2024-05-17 09:30:00", "2024-05-17T09:30:00 UTC", "2024-05-17T09:30"])
    func neverDropsTheTime(text: String) {
        if let date = ToolJSON.parseDate(text) { #expect(date == Self.moment) }
    }
}
