using Casewire.Data;
using Casewire.Feedback;
using Casewire.Time;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Casewire.CompanyApp.Pages;

/// <summary>The landing page after sign-in (SPEC §8): what goes out next, what went out, what needs attention; the NPS (SPEC §13).</summary>
sealed class IndexModel(CasewireDb db, TimeProvider time) : StaffPageModel
{
    public Dashboard.Summary Summary { get; private set; } = null!;
    public CompanyTime Time { get; private set; } = null!;
    public string FirmName { get; private set; } = "";
    public NpsReport.Summary Nps { get; private set; } = null!;
    public IReadOnlyList<DetractorAlerts.Alert> Detractors { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var company = await db.Companies.Where(c => c.Id == CompanyId).Select(c => new { c.Name, c.TimeZone }).SingleAsync(ct);
        (FirmName, Time) = (company.Name, CompanyTime.Of(company.TimeZone));
        var now = time.GetUtcNow();
        Summary = await Dashboard.ReadAsync(db, CompanyId, Time, now, ct);
        Nps = await NpsReport.ReadAsync(db, CompanyId, null, TimeZones.Resolve(company.TimeZone) ?? DateTimeZone.Utc, now, ct);
        Detractors = await DetractorAlerts.OpenAsync(db, CompanyId, Dashboard.ListLength * 2, ct);
    }

    /// <summary>A detractor's answer was seen to: it leaves "needs attention".</summary>
    public async Task<IActionResult> OnPostHandledAsync(int surveyId, CancellationToken ct)
    {
        if (await DetractorAlerts.MarkHandledAsync(db, CompanyId, surveyId, User.Identity?.Name ?? "staff", time.GetUtcNow(), ct))
            Flash = "Marked handled.";
        return Redirect("/");
    }
}
