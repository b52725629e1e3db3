using Casewire.Data;
using Microsoft.EntityFrameworkCore;

namespace Casewire.CompanyApp.Pages;

/// <summary>The landing page after sign-in (SPEC §8): what goes out next, what went out, what needs attention.</summary>
sealed class IndexModel(CasewireDb db, TimeProvider time) : StaffPageModel
{
    public Dashboard.Summary Summary { get; private set; } = null!;
    public CompanyTime Time { get; private set; } = null!;
    public string FirmName { get; private set; } = "";

    public async Task OnGetAsync(CancellationToken ct)
    {
        var company = await db.Companies.Where(c => c.Id == CompanyId).Select(c => new { c.Name, c.TimeZone }).SingleAsync(ct);
        (FirmName, Time) = (company.Name, CompanyTime.Of(company.TimeZone));
        Summary = await Dashboard.ReadAsync(db, CompanyId, Time, time.GetUtcNow(), ct);
    }
}
