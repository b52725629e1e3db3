using PhoneNumbers;

namespace Casewire.Phones;

/// <summary>
/// Phone parsing with libphonenumber (SPEC §2): E.164 or a national form read in the company's
/// region; accepted when libphonenumber calls it <i>possible</i> (right length and shape), so the
/// fictional 555 numbers of the published examples pass. Letters are refused: libphonenumber
/// would read "1-800-FLOWERS" as digits, which is never what a CMS meant.
/// </summary>
static class MobileNumbers
{
    static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    public static bool TryNormalize(string input, string region, out string e164)
    {
        e164 = "";
        var text = input.Trim();
        if (text.Length is 0 or > 32 || text.Any(c => !(char.IsAsciiDigit(c) || c is '+' or ' ' or '-' or '(' or ')' or '.')))
            return false;
        try
        {
            var number = Util.Parse(text, region);
            if (!Util.IsPossibleNumber(number)) return false;
            e164 = Util.Format(number, PhoneNumberFormat.E164);
            return true;
        }
        catch (NumberParseException)
        {
            return false;
        }
    }

    public static bool IsKnownRegion(string region) => Util.GetSupportedRegions().Contains(region.ToUpperInvariant());
}
