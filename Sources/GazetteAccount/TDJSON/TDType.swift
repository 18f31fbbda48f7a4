/// Every TDLib `@type` Gazette's decoders tell apart: answers and updates are matched on these cases only, never on
/// string literals, so the schema test can check that each one exists in `td_api.tl`.
public enum TDType: String, Sendable, CaseIterable {
    // Answers and updates
    case error, updateAuthorizationState, updateNewMessage, updateMessageContent, updateMessageEdited

    // AuthorizationState
    case authorizationStateWaitTdlibParameters, authorizationStateWaitPhoneNumber
    case authorizationStateWaitOtherDeviceConfirmation, authorizationStateWaitCode, authorizationStateWaitPassword
    case authorizationStateWaitEmailAddress, authorizationStateWaitEmailCode, authorizationStateWaitRegistration
    case authorizationStateWaitPremiumPurchase
    case authorizationStateReady, authorizationStateLoggingOut, authorizationStateClosing, authorizationStateClosed

    // ChatJoinResult
    case chatJoinResultSuccess, chatJoinResultRequestSent, chatJoinResultGuardBotApprovalRequired, chatJoinResultDeclined

    // MessageOrigin
    case messageOriginUser, messageOriginHiddenUser, messageOriginChat, messageOriginChannel

    // MessageContent: the kinds stored as posts
    case messageText, messagePhoto, messageVideo, messageAnimation, messageDocument, messageAudio, messageVoiceNote
    case messageVideoNote, messageSticker, messagePoll, messageLocation, messageVenue, messageContact, messagePaidMedia
    case messageStory, messageDice, messageGame, messageInvoice, messageGiveaway
    case messageAnimatedEmoji, messageChecklist, messageLiveLocation, messageRichMessage, messageStakeDice

    // RichText: the plain text of a rich message
    case richTextPlain, richTextCustomEmoji

    // TextEntityType: the entities that become HTML
    case textEntityTypeBold, textEntityTypeItalic, textEntityTypeUnderline, textEntityTypeStrikethrough
    case textEntityTypeCode, textEntityTypePre, textEntityTypePreCode, textEntityTypeBlockQuote
    case textEntityTypeExpandableBlockQuote, textEntityTypeSpoiler, textEntityTypeTextUrl, textEntityTypeUrl
    case textEntityTypeEmailAddress, textEntityTypeMention
}
