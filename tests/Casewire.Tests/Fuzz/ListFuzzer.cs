using System.Text.Json.Nodes;

namespace Casewire.Tests.Fuzz;

/// <summary>
/// <c>GET contacts</c>, <c>GET projects</c>: limits and cursors, valid and not; now and then a walk
/// through every page, which must list each record of the company exactly once, in id order.
/// </summary>
public sealed class ListFuzzer(string route, Func<FuzzTenant, Dictionary<string, int>> records) : EndpointFuzzer("GET", route)
{
    sealed class Walk(int limit)
    {
        public int Limit { get; } = limit;
        public string? Cursor { get; set; }
        public List<(int Id, string Key)> Seen { get; } = [];
    }

    Walk? _walk;
    readonly List<string> _cursors = [];

    public override FuzzRequest Next(FuzzTenant tenant, Random random)
    {
        if (_walk is { Cursor: { } next } walk)
            return Page(walk, $"?limit={walk.Limit}&cursor={next}", "the walk's next page");

        var roll = random.Next(100);
        if (roll < 15)
        {
            _walk = new Walk(random.Next(1, 60));
            return Page(_walk, $"?limit={_walk.Limit}", "a walk through every page");
        }

        FuzzRequest request;
        if (roll < 55)
        {
            var limit = random.Chance(0.7) ? random.Next(1, 201) : (int?)null;
            var cursor = _cursors.Count > 0 && random.Chance(0.5) ? random.Pick(_cursors) : null;
            var query = string.Join("&", new[] { limit is null ? null : $"limit={limit}", cursor is null ? null : $"cursor={cursor}" }.OfType<string>());
            request = new FuzzRequest(Method, Route + (query.Length > 0 ? "?" + query : ""));
            request.Notes.Add("a valid limit and cursor");
            request.Expect = r => r.Status == 200 && Items(r) is { } items && items.Count <= (limit ?? 50)
                ? Ordered(items)
                : $"{r.Status} for a valid page request; expected 200 with at most {limit ?? 50} items";
        }
        else
        {
            request = new FuzzRequest(Method, Route);
            Mutations.Query(request, random);
            request.Expect = r => r.Status == 200 ? Ordered(Items(r) ?? []) :
                Names(r, "limit", "cursor") ? null : $"{r.Status} for a query with a bad limit or cursor; expected 200, or 400 naming it";
        }
        Disturb(request, random, query: false);
        return request;
    }

    FuzzRequest Page(Walk walk, string query, string note)
    {
        var request = new FuzzRequest(Method, Route + query);
        request.Notes.Add(note);
        request.Expect = r => r.Status == 200 && Items(r) is { } items && items.Count <= walk.Limit ? null : $"{r.Status} for a page of a walk";
        return request;
    }

    public override void Observe(FuzzTenant tenant, FuzzRequest request, FuzzResponse response, List<string> wrong)
    {
        if (response.Json?["nextCursor"] is JsonValue next && next.TryGetValue<string>(out var cursor)) _cursors.Add(cursor);
        if (_walk is not { } walk || !request.Target.StartsWith($"{Route}?limit={walk.Limit}", StringComparison.Ordinal)) return;
        if (response.Status != 200 || Items(response) is not { } items)
        {
            _walk = null;
            return;
        }
        walk.Seen.AddRange(items);
        walk.Cursor = response.Json?["nextCursor"] is JsonValue more && more.TryGetValue<string>(out var c) ? c : null;
        if (walk.Cursor is not null) return;
        _walk = null;

        if (Ordered(walk.Seen) is { } disorder) wrong.Add($"walking every page: {disorder}");
        var expected = records(tenant);
        var listed = walk.Seen.Select(s => s.Key).ToHashSet(StringComparer.Ordinal);
        var missing = expected.Keys.Where(k => !listed.Contains(k)).ToList();
        var extra = listed.Where(k => !expected.ContainsKey(k)).ToList();
        if (missing.Count > 0 || extra.Count > 0 || walk.Seen.Count != expected.Count)
            wrong.Add($"walking every page (limit {walk.Limit}) listed {walk.Seen.Count} records, the company has {expected.Count}; " +
                      $"missing: {string.Join(", ", missing.Take(5))}; not the company's: {string.Join(", ", extra.Take(5))}");
    }

    static List<(int Id, string Key)>? Items(FuzzResponse response) =>
        response.Json?["items"] is JsonArray items
            ? items.Select(i => ((int?)i?["id"] ?? 0, (string?)i?["externalId"] ?? "")).ToList()
            : null;

    static string? Ordered(List<(int Id, string Key)> items)
    {
        for (var i = 1; i < items.Count; i++)
            if (items[i].Id <= items[i - 1].Id) return $"ids not ascending and distinct: {items[i - 1].Id} then {items[i].Id}";
        return null;
    }
}
