namespace Casewire.Delivery;

/// <summary>
/// How many SMS segments a text costs (SPEC §7): GSM-7 carries 160 characters in one segment and
/// 153 per segment when split (extension characters count twice); any character outside GSM-7
/// makes the whole text UCS-2: 70 in one segment, 67 per segment when split (UTF-16 code units).
/// </summary>
static class SmsSegments
{
    // GSM 03.38 basic character set and its extension table (each extension character costs two septets).
    const string Basic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    const string Extension = "^{}\\[~]|€\f";

    public static bool IsGsm7(string text) => text.All(c => Basic.Contains(c) || Extension.Contains(c));

    public static int Count(string text)
    {
        if (text.Length == 0) return 1;
        if (IsGsm7(text))
        {
            var septets = text.Sum(c => Extension.Contains(c) ? 2 : 1);
            return septets <= 160 ? 1 : (int)Math.Ceiling(septets / 153.0);
        }
        return text.Length <= 70 ? 1 : (int)Math.Ceiling(text.Length / 67.0);
    }
}
