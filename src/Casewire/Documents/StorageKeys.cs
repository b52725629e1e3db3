using System.Globalization;
using System.Text.RegularExpressions;

namespace Casewire.Documents;

/// <summary>
/// The layout of the store: <c>{companyId}/{yyyy-MM}/{yyyyMMddTHHmmssZ}-{32 hex}</c>. The company comes first (one
/// firm's files under one prefix), the month keeps folders small, and the write time is part of the key so the orphan
/// sweeper judges age by the app's clock on both stores alike (a folder's mtime and S3's LastModified are the
/// server's). Nothing of the uploader's name reaches a key.
/// </summary>
static partial class StorageKeys
{
    const string StampFormat = "yyyyMMdd'T'HHmmss'Z'";

    public static string New(int companyId, DateTimeOffset now)
    {
        var utc = now.ToUniversalTime();
        return string.Create(CultureInfo.InvariantCulture,
            $"{companyId}/{utc:yyyy-MM}/{utc.ToString(StampFormat, CultureInfo.InvariantCulture)}-{Guid.NewGuid():N}");
    }

    /// <summary>When the file under <paramref name="key"/> was written, or null for a key not of this layout (left alone).</summary>
    public static DateTimeOffset? WrittenAt(string key)
    {
        var match = Layout().Match(key);
        return match.Success && DateTimeOffset.TryParseExact(match.Groups["stamp"].Value, StampFormat, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? at
            : null;
    }

    /// <summary>True for a key this layout makes: the file system store refuses anything else (no path tricks).</summary>
    public static bool IsValid(string key) => Layout().IsMatch(key);

    [GeneratedRegex(@"^[0-9]{1,10}/[0-9]{4}-[0-9]{2}/(?<stamp>[0-9]{8}T[0-9]{6}Z)-[0-9a-f]{32}$")]
    private static partial Regex Layout();
}
