namespace Casewire.Tests.Fuzz;

/// <summary>
/// The fuzzer of one Partner API endpoint: makes its next request from valid examples and the
/// tenant's records, and afterwards checks what the answer says against what it knows (201 only for
/// a new key, the same id on every update, a known id found, a foreign one not) and records it.
/// </summary>
public abstract class EndpointFuzzer(string method, string route)
{
    public string Method { get; } = method;
    public string Route { get; } = route;
    /// <summary>As the app's endpoint data source names it: <c>PUT /partner/v2/contacts</c>.</summary>
    public string Key => $"{Method} {Route}";

    public abstract FuzzRequest Next(FuzzTenant tenant, Random random);

    public virtual void Observe(FuzzTenant tenant, FuzzRequest request, FuzzResponse response, List<string> wrong) { }

    /// <summary>Now and then: odd headers, another credential, a query nobody asked for.</summary>
    protected static void Disturb(FuzzRequest request, Random random, bool query = true)
    {
        if (random.Chance(0.15)) Mutations.Headers(request, random);
        if (random.Chance(0.07)) Mutations.Authorization(request, random);
        if (query && random.Chance(0.08)) Mutations.Query(request, random);
    }

    protected static bool IsSuccess(FuzzResponse response) => response.Status is >= 200 and < 300;

    /// <summary>A 400 that says which parameter is wrong (in errors or in the detail).</summary>
    protected static bool Names(FuzzResponse response, params string[] parameters) =>
        response.Status == 400 && parameters.Any(p => response.Text.Contains(p, StringComparison.Ordinal));
}

/// <summary>Every endpoint's fuzzer, keyed like the app's routes.</summary>
public static class PartnerFuzzers
{
    public static readonly IReadOnlyList<EndpointFuzzer> All =
    [
        new ContactPutFuzzer(),
        new ProjectPutFuzzer(),
        new TeamMemberPutFuzzer(),
        new SendMessageFuzzer(),
        new CalendarEventPostFuzzer(),
        new ByExternalIdFuzzer("/partner/v2/contacts/{externalId}", t => t.Contacts),
        new ByExternalIdFuzzer("/partner/v2/projects/{externalId}", t => t.Projects),
        new ByExternalIdFuzzer("/partner/v2/team-members/{externalId}", t => t.TeamMembers),
        new ListFuzzer("/partner/v2/contacts", t => t.Contacts),
        new ListFuzzer("/partner/v2/projects", t => t.Projects),
        new MeFuzzer(),
        new MessageByIdFuzzer(),
        new ConversationFuzzer(),
        new CalendarEventPathFuzzer("GET"),
        new CalendarEventPathFuzzer("DELETE"),
        new UpcomingEventsFuzzer(),
        new FeedbackListFuzzer(),
        new MassMessagePostFuzzer(),
        new MassMessageListFuzzer(),
        new MassMessageByIdFuzzer("GET"),
        new MassMessageByIdFuzzer("DELETE"),
        new DocumentsFuzzer("GET", "/partner/v2/projects/{externalId}/documents"),
        new DocumentsFuzzer("POST", "/partner/v2/projects/{externalId}/documents"),
        new DocumentsFuzzer("GET", "/partner/v2/projects/{externalId}/documents/{id:int}/content"),
    ];
}
