import Foundation

/// Every TDLib method Gazette calls. Requests are built only by the functions below, so `TDRequest.everyShape` holds
/// one request of each shape the code sends: the schema test (`td_api.tl`) and the probe against the real library
/// check each of their fields.
public enum TDMethod: String, Sendable, CaseIterable {
    case getOption, setLogVerbosityLevel
    case setTdlibParameters, setAuthenticationPhoneNumber, requestQrCodeAuthentication, checkAuthenticationCode
    case checkAuthenticationPassword, getMe, logOut, close
    case getChat, searchPublicChat, checkChatInviteLink, joinChatByInviteLink, openChat, getChatHistory, getMessage, getUser
    case getRemoteFile, downloadFile, cancelDownloadFile, deleteFile
}

extension TDRequest {
    // MARK: Library and session

    static func getOption(_ name: String) -> TDRequest { TDRequest(.getOption, ["name": .string(name)]) }

    /// Synchronous (`td_execute`): TDLib's own log; 0 keeps fatal errors only.
    static func setLogVerbosityLevel(_ level: Int64) -> TDRequest {
        TDRequest(.setLogVerbosityLevel, ["new_verbosity_level": .int(level)])
    }

    /// TDLib 1.8.69: the parameters are fields of the request itself. `encryptionKey` is sent as TDLib's `bytes`
    /// (base64).
    static func setTdlibParameters(databaseDirectory: String, filesDirectory: String, encryptionKey: Data, apiID: Int64,
                                   apiHash: String, applicationVersion: String) -> TDRequest {
        TDRequest(.setTdlibParameters, [
            "use_test_dc": false,
            "database_directory": .string(databaseDirectory),
            "files_directory": .string(filesDirectory),
            "database_encryption_key": .string(encryptionKey.base64EncodedString()),
            // The file database lets TDLib find a photo by its remote id in a later session (`getRemoteFile`).
            "use_file_database": true,
            "use_chat_info_database": true,
            "use_message_database": true,
            "use_secret_chats": false,
            "api_id": .int(apiID),
            "api_hash": .string(apiHash),
            "system_language_code": "en",
            "device_model": "Gazette",
            "system_version": "",
            "application_version": .string(applicationVersion),
        ])
    }

    static var getMe: TDRequest { TDRequest(.getMe) }
    static var logOut: TDRequest { TDRequest(.logOut) }
    static var close: TDRequest { TDRequest(.close) }

    // MARK: Login

    static func setAuthenticationPhoneNumber(_ phone: String) -> TDRequest {
        TDRequest(.setAuthenticationPhoneNumber, ["phone_number": .string(phone)])
    }

    static var requestQrCodeAuthentication: TDRequest { TDRequest(.requestQrCodeAuthentication, ["other_user_ids": .array([])]) }

    static func checkAuthenticationCode(_ code: String) -> TDRequest {
        TDRequest(.checkAuthenticationCode, ["code": .string(code)])
    }

    static func checkAuthenticationPassword(_ password: String) -> TDRequest {
        TDRequest(.checkAuthenticationPassword, ["password": .string(password)])
    }

    // MARK: Reading channels

    static func getChat(_ chatID: Int64) -> TDRequest { TDRequest(.getChat, ["chat_id": .int(chatID)]) }

    static func searchPublicChat(_ username: String) -> TDRequest {
        TDRequest(.searchPublicChat, ["username": .string(username)])
    }

    static func checkChatInviteLink(_ link: String) -> TDRequest { TDRequest(.checkChatInviteLink, ["invite_link": .string(link)]) }

    static func joinChatByInviteLink(_ link: String) -> TDRequest { TDRequest(.joinChatByInviteLink, ["invite_link": .string(link)]) }

    /// TDLib sends a channel's updates only while its chat is open.
    static func openChat(_ chatID: Int64) -> TDRequest { TDRequest(.openChat, ["chat_id": .int(chatID)]) }

    /// Up to 100 messages older than `fromMessageID` (0: from the newest).
    static func getChatHistory(_ chatID: Int64, from fromMessageID: Int64) -> TDRequest {
        TDRequest(.getChatHistory, [
            "chat_id": .int(chatID), "from_message_id": .int(fromMessageID), "offset": 0, "limit": 100, "only_local": false,
        ])
    }

    static func getMessage(chatID: Int64, messageID: Int64) -> TDRequest {
        TDRequest(.getMessage, ["chat_id": .int(chatID), "message_id": .int(messageID)])
    }

    static func getUser(_ userID: Int64) -> TDRequest { TDRequest(.getUser, ["user_id": .int(userID)]) }

    // MARK: Pictures

    /// The file of a photo by its remote id (`photo.remote.id`, kept with the post).
    static func getRemoteFile(photo remoteFileID: String) -> TDRequest {
        TDRequest(.getRemoteFile, ["remote_file_id": .string(remoteFileID), "file_type": .object(type: "fileTypePhoto", [:])])
    }

    /// The whole file, answered once it is downloaded (or failed, or was cancelled).
    static func downloadFile(_ fileID: Int64) -> TDRequest {
        TDRequest(.downloadFile, ["file_id": .int(fileID), "priority": 16, "offset": 0, "limit": 0, "synchronous": true])
    }

    static func cancelDownloadFile(_ fileID: Int64) -> TDRequest {
        TDRequest(.cancelDownloadFile, ["file_id": .int(fileID), "only_if_pending": false])
    }

    /// Removes TDLib's copy once the bytes are in the image cache, so the account directory does not grow.
    static func deleteFile(_ fileID: Int64) -> TDRequest { TDRequest(.deleteFile, ["file_id": .int(fileID)]) }

    /// One request of every method, built by the functions above with sample values.
    static var everyShape: [TDRequest] {
        [
            .getOption("version"), .setLogVerbosityLevel(0),
            .setTdlibParameters(databaseDirectory: "/tmp/account/database", filesDirectory: "/tmp/account/files",
                                encryptionKey: Data("0123456789abcdef".utf8), apiID: 12345,
                                apiHash: "0123456789abcdef0123456789abcdef", applicationVersion: "1.0"),
            .getMe, .logOut, .close,
            .setAuthenticationPhoneNumber("+441234567890"), .requestQrCodeAuthentication, .checkAuthenticationCode("12345"),
            .checkAuthenticationPassword("secret"),
            .getChat(-1001234567890), .searchPublicChat("durov"), .checkChatInviteLink("https://t.me/+AbCdEfGhIjKl"),
            .joinChatByInviteLink("https://t.me/+AbCdEfGhIjKl"), .openChat(-1001234567890),
            .getChatHistory(-1001234567890, from: 0), .getMessage(chatID: -1001234567890, messageID: 1 << 20), .getUser(777),
            .getRemoteFile(photo: "AgACAgIAAxkBAAIBQ2VhbGx5X2FfcGhvdG8"), .downloadFile(101), .cancelDownloadFile(101), .deleteFile(101),
        ]
    }
}
