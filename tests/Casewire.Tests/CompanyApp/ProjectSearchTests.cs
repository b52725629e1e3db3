using System.Net;
using System.Text.RegularExpressions;
using Casewire.Model;
using Casewire.Tests.Infrastructure;

namespace Casewire.Tests.CompanyApp;

/// <summary>The Projects list (SPEC §8): search by name, client or external id within the company, newest activity first, keyset pages.</summary>
public sealed partial class ProjectSearchTests(CasewireApp app) : IClassFixture<CasewireApp>
{
    static int _lastPhone;
    static string NewPhone() => $"+1555{4000000 + Interlocked.Increment(ref _lastPhone):D7}";

    /// <summary>The project ids the list page links to, in the order shown.</summary>
    static List<int> Listed(string html) => ProjectLink().Matches(html).Select(m => int.Parse(m.Groups[1].Value)).ToList();

    [Fact]
    public async Task SearchFindsByProjectNameClientNameEmailPhoneAndExternalIdButNeverAcrossCompanies()
    {
        var ours = await app.NewTenantAsync();
        var theirs = await app.NewTenantAsync();
        var phone = NewPhone(); // +1555400xxxx
        await ours.ContactAsync("client-9", phone: phone, email: "Maria.Rodriguez@Example.com", firstName: "Maria", lastName: "Rodriguez");
        await ours.ContactAsync("c2", firstName: "Bob", lastName: "Stone", email: "bob@example.com");
        var rodriguez = await ours.ProjectAsync("MAT-2024-117", ["client-9"]); // named "Case MAT-2024-117"
        var stone = await ours.ProjectAsync("stone-1", ["c2"]);
        // The other firm has a look-alike: same names, same external id, same client.
        await theirs.ContactAsync("client-9", phone: phone, email: "maria.rodriguez@example.com", firstName: "Maria", lastName: "Rodriguez");
        var lookAlike = await theirs.ProjectAsync("MAT-2024-117", ["client-9"]);
        var staff = await StaffSession.SignedInAsync(app, ours.CompanyId, StaffRole.Follower);

        async Task<List<int>> SearchAsync(string q) => Listed(await staff.GetPageAsync("/projects?q=" + Uri.EscapeDataString(q)));

        Assert.Equal([rodriguez], await SearchAsync("mat-2024"));                        // project name / external id, any case
        Assert.Equal([rodriguez], await SearchAsync("maria rodr"));                      // client's full name
        Assert.Equal([rodriguez], await SearchAsync("maria.rodriguez@example"));         // client's email, any case
        Assert.Equal([rodriguez], await SearchAsync($"({phone[2..5]}) {phone[5..8]}-{phone[8..]}")); // phone as people type it
        Assert.Equal([rodriguez], await SearchAsync("client-9"));                        // client's external id
        Assert.Equal([stone], await SearchAsync("STONE"));
        Assert.Empty(await SearchAsync("nobody-by-that-name"));
        Assert.Equal([stone, rodriguez], await SearchAsync(""));                           // everything, newest first
        Assert.DoesNotContain(lookAlike, await SearchAsync("Rodriguez"));
    }

    [Fact]
    public async Task TheListShowsNewestActivityFirstAndPagesWithoutRepeatsOrGaps()
    {
        var tenant = await app.NewTenantAsync();
        await tenant.ContactAsync("c1", phone: NewPhone());
        var ids = new List<int>();
        for (var i = 1; i <= 5; i++)
        {
            ids.Add(await tenant.ProjectAsync($"p{i}", ["c1"]));
            app.Time.Advance(TimeSpan.FromMinutes(1));
        }
        // A message on the oldest project is the newest activity of all.
        var sent = await tenant.Http.PostJsonAsync("/partner/v2/send-message", new { projectId = "p1", text = "News" });
        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        var staff = await StaffSession.SignedInAsync(app, tenant.CompanyId, StaffRole.Follower);

        var seen = new List<int>();
        var path = "/projects?limit=2";
        var pages = 0;
        while (path is not null)
        {
            var html = await staff.GetPageAsync(WebUtility.HtmlDecode(path));
            seen.AddRange(Listed(html));
            path = NextLink().Match(html) is { Success: true } next ? next.Groups[1].Value : null;
            Assert.True(++pages <= 3, "more pages than projects / 2");
        }

        Assert.Equal([ids[0], ids[4], ids[3], ids[2], ids[1]], seen);
    }

    [Fact]
    public async Task AProjectWithUnreadRepliesSaysSoInTheList()
    {
        var tenant = await app.NewTenantAsync();
        await tenant.ContactAsync("c1", phone: NewPhone());
        var projectId = await tenant.ProjectAsync("p1", ["c1"]);
        await app.WithDbAsync(async db =>
        {
            db.Messages.Add(new Message
            {
                CompanyId = tenant.CompanyId, ProjectId = projectId, Direction = MessageDirection.Inbound, Kind = MessageKind.Reply,
                AuthorName = "Ann Lee", Text = "Thanks!", CreatedAt = app.Time.GetUtcNow(),
            });
            await db.SaveChangesAsync();
        });
        var staff = await StaffSession.SignedInAsync(app, tenant.CompanyId, StaffRole.Follower);

        Assert.Contains("1 unread reply", await staff.GetPageAsync("/projects"));
        await staff.GetPageAsync($"/projects/{projectId}");
        Assert.DoesNotContain("unread repl", await staff.GetPageAsync("/projects"));
    }

    [Fact]
    public async Task AMangledCursorStartsFromTheTopInsteadOfFailing()
    {
        var tenant = await app.NewTenantAsync();
        await tenant.ContactAsync("c1", phone: NewPhone());
        var projectId = await tenant.ProjectAsync("p1", ["c1"]);
        var staff = await StaffSession.SignedInAsync(app, tenant.CompanyId, StaffRole.Follower);

        Assert.Equal([projectId], Listed(await staff.GetPageAsync("/projects?cursor=bm9wZQ&limit=9999")));
    }

    [GeneratedRegex(@"<a href=""/projects/(\d+)"">")]
    private static partial Regex ProjectLink();

    [GeneratedRegex(@"rel=""next"" href=""([^""]+)""")]
    private static partial Regex NextLink();
}
