using System.Text.Json.Nodes;

namespace Casewire.Tests.Fuzz;

// The paths under a project: its conversation, its calendar events one by one, its upcoming events.

/// <summary><c>GET projects/{externalId}/messages</c>: a project's conversation, with limits and cursors.</summary>
public sealed class ConversationFuzzer() : EndpointFuzzer("GET", "/partner/v2/projects/{externalId}/messages")
{
    public override FuzzRequest Next(FuzzTenant tenant, Random random)
    {
        var request = new FuzzRequest(Method, Route);
        var (segment, known) = Segments.Choose(request, random, tenant.Projects.Keys, tenant.ForeignExternalIds);
        request.Target = Route.Replace("{externalId}", segment);
        var oddQuery = random.Chance(0.3);
        if (oddQuery) Mutations.Query(request, random);
        request.Expect = r =>
        {
            if (oddQuery && Names(r, "limit", "cursor")) return null;
            if (known is null) return r.Status is 404 or 400 ? null : $"{r.Status} for a project that is not this company's; expected 404";
            if (r.Status != 200 || r.Json?["items"] is not JsonArray items) return $"{r.Status} for the conversation of project '{known}'; expected 200";
            return items.All(i => (string?)i?["projectId"] == known) ? null : $"the conversation of '{known}' has a message of another project";
        };
        Disturb(request, random, query: false);
        return request;
    }
}

/// <summary><c>GET</c> and <c>DELETE project/{projectId}/calendar-event/{eventId}</c>.</summary>
public sealed class CalendarEventPathFuzzer(string method) : EndpointFuzzer(method, "/partner/v2/project/{projectId}/calendar-event/{eventId}")
{
    static readonly string[] GoodNotify = ["", "?notify=true", "?notify=false", "?notify=TRUE", "?notify=False"];
    static readonly string[] BadNotify = ["?notify=1", "?notify=yes", "?notify=", "?notify=%00", "?notify=true&notify=false", "?notify=" + new string('t', 300)];

    public override FuzzRequest Next(FuzzTenant tenant, Random random)
    {
        var request = new FuzzRequest(Method, Route);
        var events = tenant.Events.Where(e => e.Key.Trim('.').Length > 0 && e.Value.Trim('.').Length > 0).ToList();
        (string Event, string Project)? known = null;
        string projectSegment, eventSegment;
        var roll = random.Next(100);
        if (roll < 60)
        {
            var (eventId, project) = random.Pick(events);
            known = (eventId, project);
            (projectSegment, eventSegment) = (Segments.Escape(project, random), Segments.Escape(eventId, random));
            request.Notes.Add($"event '{eventId}' of project '{project}'");
        }
        else if (roll < 72)
        {
            var (eventId, project) = random.Pick(events);
            var other = random.Pick(tenant.Projects.Keys.Where(p => p != project && p.Trim('.').Length > 0).ToList());
            (projectSegment, eventSegment) = (Uri.EscapeDataString(other), Uri.EscapeDataString(eventId));
            request.Notes.Add($"event '{eventId}' under project '{other}', which is not its own");
        }
        else
        {
            (projectSegment, _) = Segments.Choose(request, random, tenant.Projects.Keys, tenant.ForeignExternalIds);
            (eventSegment, _) = Segments.Choose(request, random, tenant.Events.Keys, []);
            request.Notes.Add("segments chosen one by one: they name no event of that project, except by chance");
        }

        var badNotify = Method == "DELETE" && random.Chance(0.15);
        var query = Method != "DELETE" ? "" : badNotify ? random.Pick(BadNotify) : random.Pick(GoodNotify);
        request.Target = Route.Replace("{projectId}", projectSegment).Replace("{eventId}", eventSegment) + query;
        if (request.Target.Contains("%00", StringComparison.Ordinal) && !request.Target.Contains('?')) request.ProtocolLevel = true;

        var pairs = tenant.Events;
        request.Expect = r =>
        {
            if (badNotify && Names(r, "notify")) return null;
            if (known is not { } k)
                return r.Status is 404 or 400 || (r.Status is 200 or 204 && (r.String("id") is null || pairs.ContainsKey(r.String("id")!)))
                    ? null
                    : $"{r.Status} for an event that is not in that project; expected 404";
            if (Method == "DELETE") return r.Status == 204 ? null : $"{r.Status} for deleting event '{k.Event}' of project '{k.Project}'; expected 204";
            return r.Status == 200 && r.String("id") == k.Event && r.String("projectId") == k.Project
                ? null
                : $"{r.Status} for event '{k.Event}' of project '{k.Project}'; expected 200 with it";
        };
        Disturb(request, random, query: false);
        return request;
    }
}

/// <summary><c>GET projects/{externalId}/calendar-events</c>: a project's upcoming events.</summary>
public sealed class UpcomingEventsFuzzer() : EndpointFuzzer("GET", "/partner/v2/projects/{externalId}/calendar-events")
{
    public override FuzzRequest Next(FuzzTenant tenant, Random random)
    {
        var request = new FuzzRequest(Method, Route);
        var (segment, known) = Segments.Choose(request, random, tenant.Projects.Keys, tenant.ForeignExternalIds);
        request.Target = Route.Replace("{externalId}", segment);
        request.Expect = r => known is null
            ? r.Status is 404 or 400 ? null : $"{r.Status} for a project that is not this company's; expected 404"
            : r.Status == 200 && r.Json is JsonArray events && events.All(e => (string?)e?["projectId"] == known)
                ? null
                : $"{r.Status} for the upcoming events of project '{known}'; expected 200 listing only its events";
        Disturb(request, random);
        return request;
    }
}

/// <summary><c>GET</c>, <c>POST projects/{externalId}/documents</c> and <c>GET …/documents/{id}/content</c> (SPEC §14).</summary>
public sealed class DocumentsFuzzer(string method, string route) : EndpointFuzzer(method, route)
{
    public override FuzzRequest Next(FuzzTenant tenant, Random random)
    {
        var request = new FuzzRequest(Method, Route);
        var (segment, known) = Segments.Choose(request, random, tenant.Projects.Keys, tenant.ForeignExternalIds);
        if (Route.EndsWith("/content", StringComparison.Ordinal) && tenant.Documents.Count > 0 && random.Chance(0.5))
        {
            // Half the downloads go to a project that has documents, so the 200 path is reached.
            known = random.Pick(tenant.Documents.Keys.ToList());
            segment = Uri.EscapeDataString(known);
            request.Notes.Add("a project with documents");
        }
        // Half the downloads name a document the project has (a 200), the rest any id (a 404 unless it is one).
        var id = known is not null && tenant.Documents.TryGetValue(known, out var ids) && random.Chance(0.5) ? random.Pick(ids) : random.Next(1, 1000);
        request.Target = Route.Replace("{externalId}", segment).Replace("{id:int}", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (Method == "POST" && known is not null && random.Chance(0.4))
        {
            // A real upload now and then (a small PDF, notify off), so the 201 path is fuzzed too.
            const string boundary = "fuzz-boundary-7d1";
            request.Body = System.Text.Encoding.UTF8.GetBytes(
                $"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"fuzz.pdf\"\r\nContent-Type: application/pdf\r\n\r\n" +
                "%PDF-1.4\n%fuzz\n%%EOF\n\r\n" +
                $"--{boundary}\r\nContent-Disposition: form-data; name=\"notify\"\r\n\r\nfalse\r\n--{boundary}--\r\n");
            request.Headers.Add(new("Content-Type", $"multipart/form-data; boundary={boundary}"));
            request.Notes.Add("a multipart upload of a small PDF");
        }
        request.Expect = r => known is null
            // A POST whose body is not multipart is refused for its type before the project is looked up.
            ? r.Status is 404 or 400 or 415 ? null : $"{r.Status} for a project that is not this company's; expected 404"
            : Method == "POST"
                ? r.Status is 201 or 400 or 413 or 415 ? null : $"{r.Status} for an upload to project '{known}'; expected 201, 400, 413 or 415"
                : Route.EndsWith("/content", StringComparison.Ordinal)
                    ? r.Status is 200 or 404 or 400 ? null : $"{r.Status} for a document of project '{known}'; expected 200 or 404"
                    : r.Status is 200 or 400 ? null : $"{r.Status} for the documents of project '{known}'; expected 200";
        Disturb(request, random);
        return request;
    }
}
