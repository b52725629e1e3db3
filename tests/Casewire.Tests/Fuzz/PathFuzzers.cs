using System.Text;

namespace Casewire.Tests.Fuzz;

/// <summary>
/// Path segments for the GET and DELETE endpoints: a record of the tenant, escaped as a client
/// would (or with every byte escaped, which the server must read the same), another company's
/// record, or garbage (broken escapes, bytes that are not UTF-8, dots, huge segments).
/// </summary>
public static class Segments
{
    /// <summary>Escapes the id as <see cref="Uri.EscapeDataString(string)"/> does, or every UTF-8 byte of it.</summary>
    public static string Escape(string id, Random random) => random.Chance(0.85)
        ? Uri.EscapeDataString(id)
        : string.Concat(Encoding.UTF8.GetBytes(id).Select(b => $"%{b:X2}"));

    /// <summary>"." and ".." are path syntax: every client removes them, so no record named so can be read by its path.</summary>
    static bool Addressable(string id) => id.Trim('.').Length > 0;

    /// <summary>A segment and, when it names one, the record it names.</summary>
    public static (string Segment, string? Known) Choose(FuzzRequest request, Random random, IEnumerable<string> known, IReadOnlyList<string> foreign)
    {
        var candidates = known.Where(Addressable).ToList();
        var roll = random.Next(100);
        if (roll < 60 && candidates.Count > 0)
        {
            var id = random.Pick(candidates);
            return (Escape(id, random), id);
        }
        if (roll < 70 && foreign.Count > 0)
        {
            var id = random.Pick(foreign);
            request.Notes.Add($"another company's id {id}");
            return (Uri.EscapeDataString(id), null);
        }
        if (roll < 74)
        {
            request.ProtocolLevel = true;
            return (random.Pick(Garbage.ProtocolBreakingSegments), null);
        }
        var garbage = random.Pick(Garbage.PathSegments);
        if (Uri.UnescapeDataString(garbage).Trim('.').Length == 0)
        {
            // "." and ".." are removed by the server (RFC 3986 §5.2.4): the path names another resource.
            request.MayMissRoute = true;
            request.Notes.Add("a dot segment");
        }
        return (garbage, null);
    }
}

/// <summary><c>GET contacts/{externalId}</c>, <c>projects/{externalId}</c>, <c>team-members/{externalId}</c>.</summary>
public sealed class ByExternalIdFuzzer(string route, Func<FuzzTenant, Dictionary<string, int>> records) : EndpointFuzzer("GET", route)
{
    public override FuzzRequest Next(FuzzTenant tenant, Random random)
    {
        var request = new FuzzRequest(Method, Route);
        var all = records(tenant);
        var (segment, known) = Segments.Choose(request, random, all.Keys, tenant.ForeignExternalIds);
        request.Target = Route.Replace("{externalId}", segment);
        request.Notes.Add(known is null ? "an id that names nothing here" : $"the record '{known}'");
        request.Expect = r => known is not null
            ? r.Status == 200 && r.String("externalId") == known && r.Int("id") == all[known]
                ? null
                : $"{r.Status} for the existing record '{known}' (id {all[known]}); expected 200 with it"
            : r.Status is 404 or 400 || (r.Status == 200 && r.String("externalId") is { } found && all.ContainsKey(found))
                ? null
                : $"{r.Status} for an id that names no record of this company; expected 404";
        Disturb(request, random);
        return request;
    }
}

/// <summary><c>GET me</c>: only credentials, headers and queries to vary.</summary>
public sealed class MeFuzzer() : EndpointFuzzer("GET", "/partner/v2/me")
{
    public override FuzzRequest Next(FuzzTenant tenant, Random random)
    {
        var request = new FuzzRequest(Method, Route);
        request.Expect = r => r.Status == 200 && (string?)r.Json?["company"]?["slug"] == tenant.Api.Slug ? null : $"{r.Status}; expected 200 naming {tenant.Api.Slug}";
        Disturb(request, random);
        // Credentials are all there is to vary here: more often than elsewhere.
        if (request.Auth == FuzzAuth.Tenant && random.Chance(0.2)) Mutations.Authorization(request, random);
        if (random.Chance(0.3)) Mutations.Query(request, random);
        return request;
    }
}

/// <summary><c>GET messages/{id:int}</c>: this company's messages, another's (404), and ids that are no int.</summary>
public sealed class MessageByIdFuzzer() : EndpointFuzzer("GET", "/partner/v2/messages/{id:int}")
{
    public override FuzzRequest Next(FuzzTenant tenant, Random random)
    {
        var request = new FuzzRequest(Method, Route);
        var own = tenant.Messages.ToList();
        int? known = null;
        string segment;
        var roll = random.Next(100);
        if (roll < 50)
        {
            known = random.Pick(own);
            segment = Segments.Escape(known.Value.ToString(), random);
        }
        else if (roll < 65 && tenant.ForeignMessageIds.Count > 0)
        {
            segment = random.Pick(tenant.ForeignMessageIds).ToString();
            request.Notes.Add("another company's message");
        }
        else segment = random.Pick<string>(["0", "-1", "2147483647", "2147483648", "+1", "1.0", "0x1", "1e1", " 1", "%31%00"]) is var odd && random.Chance(0.5)
            ? odd
            : random.Pick(Garbage.PathSegments);
        if (segment.Contains("%00", StringComparison.Ordinal)) request.ProtocolLevel = true;
        // Only an int matches the route; anything else is routing's 404, given before credentials are looked at.
        if (!int.TryParse(Uri.UnescapeDataString(segment), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out _))
            request.MayMissRoute = true;
        request.Target = Route.Replace("{id:int}", segment);
        request.Expect = r => known is { } id
            ? r.Status == 200 && r.Int("id") == id ? null : $"{r.Status} for this company's message {id}; expected 200 with it"
            : r.Status is 404 or 400 || (r.Status == 200 && r.Int("id") is { } found && tenant.Messages.Contains(found))
                ? null
                : $"{r.Status} for a message id that is not this company's; expected 404";
        Disturb(request, random);
        return request;
    }
}
