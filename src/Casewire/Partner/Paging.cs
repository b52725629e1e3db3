using System.Buffers.Text;
using System.Text;
using Casewire.Validation;

namespace Casewire.Partner;

/// <summary>A page of a list endpoint (SPEC §9): <c>nextCursor</c> is null on the last page.</summary>
sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>
/// Keyset paging by id: <c>?limit=</c> (default 50, 1–200) and an opaque, URL-safe <c>?cursor=</c>
/// holding the last id of the previous page (0 on the first page). Ascending lists continue with
/// ids above it, newest-first lists with ids below it.
/// </summary>
readonly record struct Paging(int Limit, int Cursor)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public static bool TryRead(int? limit, string? cursor, out Paging paging, out FieldErrors errors)
    {
        errors = new FieldErrors();
        var last = 0;
        if (limit is < 1 or > MaxLimit)
            errors.Add("limit", $"limit must be between 1 and {MaxLimit}; {DefaultLimit} when absent.");
        if (!string.IsNullOrEmpty(cursor) && !TryDecode(cursor, out last))
            errors.Add("cursor", "cursor is not one this API returned; pass the nextCursor of the previous page unchanged.");
        paging = new Paging(limit ?? DefaultLimit, last);
        return !errors.Any;
    }

    /// <summary>Builds the page from up to <c>Limit + 1</c> rows ordered by id.</summary>
    public Page<TOut> ToPage<TRow, TOut>(List<TRow> rows, Func<TRow, int> id, Func<TRow, TOut> map)
    {
        var more = rows.Count > Limit;
        var items = rows.Take(Limit).Select(map).ToList();
        return new Page<TOut>(items, more ? Encode(id(rows[Limit - 1])) : null);
    }

    static string Encode(int afterId) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"v1:{afterId}"));

    static bool TryDecode(string cursor, out int afterId)
    {
        afterId = 0;
        if (cursor.Length > 64) return false;
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            return text.StartsWith("v1:", StringComparison.Ordinal) && int.TryParse(text.AsSpan(3), out afterId) && afterId > 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
