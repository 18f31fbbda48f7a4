// The Atom feed (RFC 4287) and the e-mail body, as mustache templates. In the feed every value is escaped by `{{ }}`
// (mustache's HTML escaping is valid XML escaping); the entry's HTML goes into `content type="html"` escaped, so a
// feed reader decodes it once and gets the fragment `DigestHTML` made.

extension WebTemplates {
    static let feed = #"""
    <?xml version="1.0" encoding="utf-8"?>
    <feed xmlns="http://www.w3.org/2005/Atom">
      <id>{{feedID}}</id>
      <title>{{title}}</title>
      <subtitle>Digests delivered to you by Gazette</subtitle>
      <updated>{{updated}}</updated>
      <author><name>Gazette</name></author>
      <generator version="{{version}}">Gazette</generator>
      <link rel="self" type="application/atom+xml" href="{{selfURL}}"/>
      <link rel="alternate" type="text/html" href="{{homeURL}}"/>
    {{#entries}}
      <entry>
        <id>{{id}}</id>
        <title>{{title}}</title>
        <published>{{published}}</published>
        <updated>{{updated}}</updated>
        <link rel="alternate" type="text/html" href="{{url}}"/>
        <link rel="enclosure" type="application/pdf" title="{{title}} (PDF)" href="{{pdfURL}}"/>
        <summary>{{summary}}</summary>
        <content type="html">{{html}}</content>
      </entry>
    {{/entries}}
    </feed>
    """#

    /// The HTML part of a digest e-mail: one column, styles inline in the head (mail clients drop external CSS).
    static let email = #"""
    <!doctype html>
    <html lang="{{lang}}">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="color-scheme" content="light dark">
    <title>{{title}}</title>
    <style>
    body { margin: 0; padding: 0; background: #fdfcf9; color: #1d1d1b; font: 16px/1.5 Georgia, serif; }
    .wrap { max-width: 40rem; margin: 0 auto; padding: 1rem; }
    a { color: #1f5fa8; }
    h1 { font-size: 1.45rem; line-height: 1.25; }
    h2 { font-size: 1.2rem; border-top: 1px solid #dedad1; padding-top: .5rem; margin-top: 1.6rem; }
    h3 { font-size: 1.05rem; }
    img { max-width: 100%; height: auto; }
    pre { background: #f4f1ea; padding: .6rem; overflow-x: auto; font-size: 13px; }
    .muted { color: #66635c; font-size: 14px; }
    @media (prefers-color-scheme: dark) {
      body { background: #141414; color: #e9e6df; } a { color: #8bb8ee; } pre { background: #1e1d1b; } .muted { color: #a29e95; }
    }
    </style>
    </head>
    <body>
    <div class="wrap">
    {{{html}}}
    {{#footer}}<p class="muted">{{footer}}</p>{{/footer}}
    </div>
    </body>
    </html>
    """#
}
