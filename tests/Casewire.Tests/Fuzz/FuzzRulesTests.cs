using System.Net.Http.Headers;
using Casewire.Model;
using Casewire.Tests.Infrastructure;

namespace Casewire.Tests.Fuzz;

/// <summary>
/// The fuzz suite's judges can say no: each response rule flags an answer that breaks it (and
/// passes one that does not), and the database check flags rows that break an invariant. Without
/// these, a suite whose checks had quietly stopped checking would still pass.
/// </summary>
public sealed class FuzzRulesTests(CasewireApp app) : IClassFixture<CasewireApp>
{
    const string Problem400 = """{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.1","title":"Bad","status":400}""";

    static FuzzResponse Answer(int status, string? contentType, string body, params (string Name, string Value)[] headers) =>
        new(status, headers.ToDictionary(h => h.Name, h => h.Value, StringComparer.OrdinalIgnoreCase),
            contentType is null ? null : MediaTypeHeaderValue.Parse(contentType), body);

    static FuzzRequest Put() => new("PUT", "/partner/v2/contacts");

    public static TheoryData<string> Cases() => new(Broken.Keys);

    /// <summary>A request, an answer that breaks a rule for it, and words of the rule's complaint.</summary>
    static readonly Dictionary<string, (FuzzRequest Request, FuzzResponse? Answer, string Complaint)> Broken = new()
    {
        ["a 500"] = (Put(), Answer(500, "application/problem+json", """{"type":"t","title":"Internal error","status":500}"""), "server error"),
        ["no answer"] = (Put(), null, "no answer"),
        ["a 302"] = (Put(), Answer(302, null, ""), "neither 2xx nor 4xx"),
        ["a 400 in plain text"] = (Put(), Answer(400, "text/plain", "bad request"), "not application/problem+json"),
        ["a problem without title"] = (Put(), Answer(400, "application/problem+json", """{"type":"t","status":400}"""), "no title"),
        ["a problem with another status"] = (Put(), Answer(404, "application/problem+json", Problem400), "has status 400"),
        ["a validation problem without errors"] = (Put(), Answer(400, "application/problem+json",
            """{"type":"t","title":"One or more validation errors occurred.","status":400}"""), "without errors"),
        ["errors that are not messages"] = (Put(), Answer(400, "application/problem+json",
            """{"type":"t","title":"Bad","status":400,"errors":{"phone":[1]}}"""), "errors.phone"),
        ["a 401 without WWW-Authenticate"] = (Put(), Answer(401, "application/problem+json", """{"type":"t","title":"Unauthorized","status":401}"""), "WWW-Authenticate"),
        ["a 2xx that is not JSON"] = (Put(), Answer(200, "text/html", "<html>"), "not JSON"),
        ["a refused credential let in"] = (new FuzzRequest("GET", "/partner/v2/me") { Auth = FuzzAuth.Refused }, Answer(200, "application/json", "{}"), "expected 401"),
        ["a malformed body accepted"] = (new FuzzRequest("PUT", "/partner/v2/contacts") { Malformed = true }, Answer(201, "application/json", "{}"), "expected 400"),
        ["a bad field not named"] = (new FuzzRequest("PUT", "/partner/v2/contacts") { StrictField = "phone", Related = ["phone"] },
            Answer(400, "application/problem+json", """{"type":"t","title":"Bad","status":400,"errors":{"email":["email is wrong"]}}"""), "do not name phone"),
        ["an expectation unmet"] = (new FuzzRequest("GET", "/partner/v2/contacts/x") { Expect = r => r.Status == 404 ? null : "expected 404" },
            Answer(200, "application/json", "{}"), "expected 404"),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void EachResponseRuleFlagsAnAnswerThatBreaksIt(string name)
    {
        var (request, answer, complaint) = Broken[name];

        var wrong = ResponseRules.Check(request, answer, answer is null ? new HttpRequestException("connection reset") : null);

        Assert.Contains(wrong, w => w.Contains(complaint, StringComparison.Ordinal));
    }

    [Fact]
    public void AnAnswerThatKeepsEveryRulePasses()
    {
        var request = new FuzzRequest("PUT", "/partner/v2/contacts") { StrictField = "phone", Related = ["phone", "email"] };
        var answer = Answer(400, "application/problem+json",
            """{"type":"t","title":"One or more validation errors occurred.","status":400,"errors":{"email":["email: 'x' is not valid"]}}""");

        Assert.Empty(ResponseRules.Check(request, answer, null));
    }

    [Fact]
    public async Task TheDatabaseCheckFlagsRowsThatBreakAnInvariant()
    {
        var a = await app.NewTenantAsync();
        var b = await app.NewTenantAsync();
        var model = new FuzzTenant { Api = a, Http = a.Http };
        model.Contacts["c1"] = await a.ContactAsync("c1", phone: "+15551234567");
        model.Projects["p1"] = await a.ProjectAsync("p1", ["c1"]);
        var foreignContact = await b.ContactAsync("c9", phone: "+15551234568");
        Assert.Empty(await app.WithDbAsync(db => DatabaseInvariants.CheckAsync(db, [model])));

        model.Contacts["ghost"] = 999_999;
        await app.WithDbAsync(async db =>
        {
            var foreignMessage = db.Messages.Add(new Message { CompanyId = b.CompanyId, AuthorName = "CRM", Text = "x", CreatedAt = app.Time.GetUtcNow() }).Entity;
            await db.SaveChangesAsync();
            db.OutboxItems.Add(new OutboxItem { CompanyId = a.CompanyId, MessageId = foreignMessage.Id, To = "+15551234567", Body = "x" });
            db.OutboxItems.Add(new OutboxItem { CompanyId = a.CompanyId, Channel = Channel.Email, To = "nobody@example.com", Body = "x" });
            db.ProjectClients.Add(new ProjectClient { ProjectId = model.Projects["p1"], ContactId = foreignContact, Position = 1 });
            db.IdempotencyRecords.Add(new IdempotencyRecord { CompanyId = a.CompanyId, Key = "half", Endpoint = "POST x", RequestHash = "h", ResponseBody = "" });
            await db.SaveChangesAsync();
        });

        var broken = await app.WithDbAsync(db => DatabaseInvariants.CheckAsync(db, [model]));

        Assert.Contains(broken, w => w.Contains("created but absent: [ghost]", StringComparison.Ordinal));
        Assert.Contains(broken, w => w.Contains($"delivers message", StringComparison.Ordinal) && w.Contains($"of company {b.CompanyId}", StringComparison.Ordinal));
        Assert.Contains(broken, w => w.Contains("(Email to 'nobody@example.com') has no message", StringComparison.Ordinal));
        Assert.Contains(broken, w => w.Contains($"has client {foreignContact}, not a contact of that company", StringComparison.Ordinal));
        Assert.Contains(broken, w => w.Contains("'half' holds status 0", StringComparison.Ordinal));
    }
}
