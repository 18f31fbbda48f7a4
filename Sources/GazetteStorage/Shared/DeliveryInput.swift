import GazetteCore

enum DeliveryInput {
    static func validate(userID: Int64, kind: String, period: String, owner: String) throws(StoreError) {
        try InputValidation.userID(userID)
        try InputValidation.text(kind, field: "delivery kind", maxLength: 64)
        try InputValidation.text(period, field: "delivery period", maxLength: 64)
        try InputValidation.text(owner, field: "owner", maxLength: 200)
    }
}
