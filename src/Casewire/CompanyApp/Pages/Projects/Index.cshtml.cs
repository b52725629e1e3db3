using Casewire.CompanyApp.Projects;
using Casewire.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Casewire.CompanyApp.Pages.Projects;

/// <summary><c>/projects</c>: the company's projects, newest activity first, with a search box (SPEC §8).</summary>
sealed class IndexModel(CasewireDb db) : StaffPageModel
{
    [BindProperty(SupportsGet = true, Name = "q")] public string? Query { get; set; }
    [BindProperty(SupportsGet = true)] public string? Cursor { get; set; }
    [BindProperty(SupportsGet = true)] public int? Limit { get; set; }

    public ProjectSearch.Result Result { get; private set; } = new([], null);
    public DateTimeZone Zone { get; private set; } = DateTimeZone.Utc;
    /// <summary>Ticking projects starts a mass message (SPEC §12): Admins and Users send.</summary>
    public bool CanSend => User.IsInRole(Model.StaffRole.Admin) || User.IsInRole(Model.StaffRole.User);

    public async Task OnGetAsync(CancellationToken ct)
    {
        var company = await db.Companies.AsNoTracking().SingleAsync(c => c.Id == CompanyId, ct);
        Zone = CompanyTime.Of(company.TimeZone).Zone;
        var limit = Math.Clamp(Limit ?? ProjectSearch.DefaultLimit, 1, ProjectSearch.MaxLimit);
        Result = await ProjectSearch.FindAsync(db, CompanyId, Query, Cursor, limit, ct);
    }

    public string NextPageUrl() => "/projects" + QueryString.Create(new Dictionary<string, string?>
    {
        ["q"] = string.IsNullOrWhiteSpace(Query) ? null : Query.Trim(),
        ["limit"] = Limit?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["cursor"] = Result.NextCursor,
    }.Where(p => p.Value is not null)).ToUriComponent();
}
