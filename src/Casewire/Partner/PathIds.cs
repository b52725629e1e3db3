using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Casewire.Partner;

/// <summary>
/// External ids in URL paths, read exactly. The server decodes every escape in a path except
/// <c>%2F</c> (it would change the path's shape), so a route value alone is ambiguous: <c>a%2Fb</c>
/// arrives both for the id <c>a/b</c> (sent as <c>a%2Fb</c>) and for the id <c>a%2Fb</c> (sent as
/// <c>a%252Fb</c>). The raw request target is not: after routing, each route parameter is read
/// again from its own segment of the target and unescaped once, before any handler binds it.
/// </summary>
static class PathIds
{
    public static Task ReadExactly(HttpContext context, RequestDelegate next)
    {
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        // A raw target with nothing escaped needs nothing done; a test host gives none at all.
        if (context.GetEndpoint() is RouteEndpoint endpoint && (string.IsNullOrEmpty(target) || target.Contains('%')))
        {
            var pattern = endpoint.RoutePattern.PathSegments;
            var raw = RawSegments(target, pattern);
            for (var i = 0; i < pattern.Count; i++)
            {
                if (pattern[i].Parts is not [RoutePatternParameterPart { IsCatchAll: false } parameter]
                    || context.Request.RouteValues[parameter.Name] is not string value) continue;
                context.Request.RouteValues[parameter.Name] = raw is not null
                    ? Uri.UnescapeDataString(raw[i])
                    : value.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase); // no raw target (a test host): the best reading
            }
        }
        return next(context);
    }

    /// <summary>The raw target's last segments, one per route segment, when its literal segments match the route's; else null.</summary>
    static string[]? RawSegments(string? target, IReadOnlyList<RoutePatternPathSegment> pattern)
    {
        if (string.IsNullOrEmpty(target) || target[0] != '/') return null;
        var end = target.IndexOfAny(['?', '#']);
        var segments = (end < 0 ? target : target[..end]).TrimEnd('/').Split('/');
        if (segments.Length <= pattern.Count) return null;
        segments = segments[^pattern.Count..];
        for (var i = 0; i < pattern.Count; i++)
            if (pattern[i].Parts is [RoutePatternLiteralPart literal]
                && !literal.Content.Equals(Uri.UnescapeDataString(segments[i]), StringComparison.OrdinalIgnoreCase))
                return null; // dot segments or the like were resolved by the server: the raw target does not line up
        return segments;
    }
}
