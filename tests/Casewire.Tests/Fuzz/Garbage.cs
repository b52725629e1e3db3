using System.Text;

namespace Casewire.Tests.Fuzz;

/// <summary>
/// The values the fuzzer draws from: strings that have broken parsers and databases before (huge,
/// right-to-left, combining marks, emoji, control characters, NUL, look-alikes of valid values),
/// raw JSON tokens (numbers at the edges of every numeric type, lone surrogates, deep nesting),
/// tokens that are not JSON at all, bytes that are not UTF-8, and odd ids for URL paths.
/// </summary>
public static class Garbage
{
    public static T Pick<T>(this Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    public static bool Chance(this Random random, double probability) => random.NextDouble() < probability;

    /// <summary>Strings, as .NET strings (serialized with ordinary JSON escaping).</summary>
    public static readonly string[] Strings =
    [
        "", " ", "\t\n ", "null", "true", "0", "-1", "x", "  padded  ",
        new('a', 100), new('a', 101), new('a', 255), new('a', 256), new('c', 1600), new('c', 1601), new('d', 20_000), new('d', 300_000),
        new('é', 300), string.Concat(Enumerable.Repeat("👩‍⚖️", 400)),
        "ünïcødé", "Ĳsselmeer", "עברית", "مرحبا بالعالم", "\u202Egnp.exe", "\u200F\u200E\u200B", "e\u0301\u0301\u0301\u0301",
        "Z" + string.Concat(Enumerable.Repeat("\u0336\u0337\u0338", 300)), "👩‍⚖️", "家族", "ＡＢＣ", "\u00A0nbsp\u00A0", "\u2028\u2029",
        "\u0000", "a\u0000b", "\u0001\u0002\u001F", "\u007F", "\u0085", "line\nbreak", "\r\n", "tab\there", "\uFEFF", "\uFFFF", "\uFFFE", "\uD83D\uDE00",
        "'; DROP TABLE \"Contacts\"; --", "Robert'); --", "%2F", "%252F", "a/b", "../..", "%00", "%", "${jndi:ldap://x}", "{{7*7}}",
        "{client.firstName}", "{", "}", "<script>alert(1)</script>", "\\", "\"", "C:\\con\\aux",
        "+15551234567", "(555) 123-4567", "555-1234", "+1 555 123 4567 ext. 9", "+999999999999999999999", "+", "12", "+4420 7946 0018",
        "john.doe@example.com", "[email protected]", "a@b", "@", "a@b.c@d.e", "a@b..com", "ann@exämple.com", "a b@c.com",
        new string('m', 64) + "@" + new string('e', 250) + ".com",
        "Not Started", "in_progress", "COMPLETE", "Completed ", "sms", "BOTH", "Email", "email,sms", "1,2",
        "EST", "est", "America/New_York", "Eastern Standard Time", "+05:30", "UTC-14:00", "UTC+15", "-00:00", "Mars/Olympus",
        "2026-03-10 09:00:00", "2026-03-10T09:00:00Z", "2026-03-10T09:00", "2026-03-10", "09:00", "0001-01-01 00:00:00",
        "9999-12-31 23:59:59", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "2026-02-30 10:00", "2026-03-08 02:30:00",
        "2026-11-01 01:30:00", "2026-13-01 00:00", "1e308", "-0", "NaN", "Infinity",
        "day", "DAYS", "minute", "1", "2147483647", "99999999999999999999",
    ];

    /// <summary>Raw JSON values: each is well-formed JSON.</summary>
    public static readonly string[] Values =
    [
        "null", "true", "false", "0", "-0", "1", "-1", "0.5", "1.0", "1E2", "1e308", "-1e308", "1e-400", "1e400", "4.9e-324",
        "2147483647", "2147483648", "-2147483648", "-2147483649", "9223372036854775807", "9223372036854775808",
        "-9223372036854775809", "18446744073709551616", new string('9', 400), "0." + new string('0', 300) + "1",
        "[]", "{}", "[null]", "[[]]", "[1,2,3]", "[\"\"]", "{\"a\":1}", "{\"id\":1}", "{\"id\":-1}", "{\"externalId\":null}", "{\"id\":\"1\"}",
        "[{\"unit\":\"day\",\"amount\":2147483647}]", "[{\"unit\":\"hour\",\"amount\":2147483647}]", "[{\"unit\":\"minute\",\"amount\":2147483647}]",
        "[{\"unit\":\"day\",\"amount\":\"99999999999\"}]", "[{\"unit\":\"days\",\"amount\":365}]", "[{\"unit\":\"day\",\"amount\":366}]",
        "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"", "\"\\udfff\\ud800\"", "[\"\\ud800\"]", "{\"externalId\":\"\\ud800\"}",
        "[{\"unit\":\"\\ud800\",\"amount\":1}]", "\"a\\u0000b\"", "\"\\u0000\"", "\"\\u202e\\u0301\"", "\"\\\\\"", "\"\\/\"",
        "\"\\b\\f\\n\\r\\t\"", "\"\\uD83D\\uDE00\"", "\"\\uFFFF\"",
        Nested('[', ']', 31), Nested('[', ']', 33), Nested('[', ']', 200), NestedObjects(40),
        "[" + string.Join(",", Enumerable.Range(0, 5000)) + "]",
        "[" + string.Join(",", Enumerable.Range(0, 300).Select(i => $"\"x{i}\"")) + "]",
        "[" + string.Join(",", Enumerable.Range(0, 300).Select(i => $"{{\"id\":{i}}}")) + "]",
    ];

    /// <summary>Raw tokens that are not JSON: a body holding one is malformed.</summary>
    public static readonly string[] NotJson =
    [
        "NaN", "Infinity", "-Infinity", "undefined", "'single'", "unquoted", "01", "1.", ".5", "+1", "-", "1e", "0x10", "\"unterminated",
        "\"bad \\x escape\"", "\"\\u12\"", "tru", "nul", "[1,,2]", "{\"a\" 1}", "{,}", "\"tab\there\"", "\"nl\nnl\"", "[", "{", "]", "}",
    ];

    /// <summary>Byte sequences that are not UTF-8: a lone continuation byte, overlong forms, an encoded surrogate, past U+10FFFF, a raw NUL.</summary>
    public static readonly byte[][] BadUtf8 =
    [
        [0xFF], [0xFE], [0xC3, 0x28], [0xC0, 0xAF], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x80], [0x00], [0xF8, 0x88, 0x80, 0x80, 0x80],
    ];

    /// <summary>Ids a CMS could really use, each a legal externalId that must round-trip through a URL path.</summary>
    public static readonly string[] OddIds =
    [
        "2024/0012", "a/b/c", "a%2Fb", "a%b", "100%", "x y", "a+b", "a?b", "a#b", "a&b=c", "a;b", "[x]", "'q\"", "a\\b", "~user", "-",
        "ünïcødé", "עברית/1", "\u202Eevil", "e\u0301\u0301", "👩‍⚖️", "家族-7", "ＡＢＣ", "a%FFb", "a%00b", "%2E%2E", "a\tb",
        new string('L', 255),
    ];

    /// <summary>Path segments as sent (already escaped, or deliberately not): garbage that names nothing.</summary>
    public static readonly string[] PathSegments =
    [
        "x", "0", "-1", "2147483648", "99999999999999999999", "1e3", "1.5", "%20", "%2F", "%252F", "%25", "%", "%%", "%zz", "%u0041",
        "%FF", "%C0%AF", "%ED%A0%80", "%E2%82", "%F0%9F%98%80", "%E2%80%AE", "%0A", "%0D%0A", "%09", "%7F", "%3F", "%23", "%3B", "~", "!$&'()*+,;=",
        "%2E", "%2E%2E", "a..b", new string('z', 5000), Uri.EscapeDataString(new string('é', 2000)), Uri.EscapeDataString("\uD83D\uDE00"),
        "%EF%BB%BF", "null", "undefined", "%22", "%27", "%3Cscript%3E",
    ];

    /// <summary>Segments Kestrel itself refuses (a NUL in the path): a bare 400 before the app is the expected answer.</summary>
    public static readonly string[] ProtocolBreakingSegments = ["%00", "a%00b"];

    /// <summary>Query strings, each starting with '?'.</summary>
    public static readonly string[] Queries =
    [
        "?", "?&&&", "?=", "?a", "?a=b&a=c", "?%zz=1", "?x=%FF", "?x=%00", "?x=" + new string('q', 6000), "?x=%E2%80%AE",
        "?limit=", "?limit=0", "?limit=-1", "?limit=1", "?limit=200", "?limit=201", "?limit=2147483648", "?limit=1e2", "?limit=%20%205",
        "?limit=0x10", "?limit=%D9%A3", "?limit=1&limit=2", "?limit=null", "?limit=5.0",
        "?cursor=", "?cursor=abc", "?cursor=%FF", "?cursor=" + new string('A', 65), "?cursor=djE6MA", "?cursor=djE6LTE", "?cursor=djE6OTk5OTk5OTk5OTk",
        "?cursor=djE6OTk5OTk", "?cursor=djI6MQ", "?cursor=djE6MQ==", "?cursor=v1:1", "?cursor=djE6MQ&cursor=djE6Mg",
        "?notify=true", "?notify=false", "?notify=TRUE", "?notify=1", "?notify=yes", "?notify=", "?notify=%00", "?notify=true&notify=false",
    ];

    public static readonly string[] ContentTypes =
    [
        "text/plain", "text/plain; charset=utf-8", "application/x-www-form-urlencoded", "application/xml", "multipart/form-data; boundary=x",
        "application/json; charset=utf-8", "application/json; charset=UTF-8", "application/json; charset=\"utf-8\"", "application/json; charset=utf-16",
        "application/json; charset=iso-8859-1", "application/json; charset=bogus", "application/json; charset=", "application/json;;;",
        "application/problem+json", "application/merge-patch+json", "text/json", "*/*", "garbage", "", "application/json; boundary=\"",
    ];

    public static readonly string[] Accepts =
    [
        "application/json", "application/problem+json", "*/*", "text/html", "application/xml", "text/plain", "image/png", "application/json;q=0",
        "*/*;q=0", "garbage", "", "text/html, application/xhtml+xml, application/xml;q=0.9",
    ];

    public static readonly string[] IdempotencyKeys =
    [
        // Valid keys, few of them, so keys are reused with the same and with other bodies.
        "key-1", "key-2", "key-3", "5f1c0b2e-msg-1", "k",
        // Invalid ones.
        "", " ", new string('k', 256), "ключ", "tab\tkey", "\u007F", "key\u00A0",
    ];

    /// <summary>An Authorization header that must get a 401 (a value, or null for none at all).</summary>
    public static string? RefusedAuthorization(Random random) => random.Next(14) switch
    {
        0 => null,
        1 => "Bearer",
        2 => "Bearer ",
        3 => "Basic dXNlcjpwYXNz",
        4 => "Token {token}",
        5 => "Bearer {token}x",
        6 => "Bearer cw_" + new string('A', 40),
        7 => "Bearer " + new string('x', 10_000),
        8 => "Bearer cw_ünïcødé" + new string('b', 32),
        9 => "Bearer {token}, Bearer {token}",
        10 => "{token}",
        11 => "Bearer \"{token}\"",
        12 => "Bearer cw_" + new string('a', 39) + "%",
        _ => "Bearer\t{token}",
    };

    /// <summary>Spellings of the tenant's valid token that authenticate.</summary>
    public static string AcceptedAuthorization(Random random) => random.Next(3) switch
    {
        0 => "bearer {token}",
        1 => "BEARER {token}",
        _ => "Bearer   {token}  ",
    };

    /// <summary><c>[[[…]]]</c>: <paramref name="depth"/> levels (the API reads at most 32).</summary>
    public static string Nested(char open, char close, int depth) => new string(open, depth) + new string(close, depth);

    static string NestedObjects(int depth) =>
        string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);

    public static string RandomText(Random random, int length)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789-_";
        var text = new StringBuilder(length);
        for (var i = 0; i < length; i++) text.Append(alphabet[random.Next(alphabet.Length)]);
        return text.ToString();
    }
}
