using Casewire.Data;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Feedback;

/// <summary>
/// The dashboard's "needs attention" entries of SPEC §13: detractors' answers (0–6) that no staff member has
/// marked handled yet, newest first, and marking one handled.
/// </summary>
static class DetractorAlerts
{
    public sealed record Alert(int Id, int Score, string? Comment, DateTimeOffset At, string Client, int ProjectId, string Project);

    public static Task<List<Alert>> OpenAsync(CasewireDb db, int companyId, int take, CancellationToken ct) =>
        db.Surveys.AsNoTracking().ForCompany(companyId)
            .Where(s => s.Score != null && s.Score <= 6 && s.HandledAt == null)
            .OrderByDescending(s => s.AnsweredAt).ThenByDescending(s => s.Id).Take(take)
            .Select(s => new Alert(s.Id, s.Score!.Value, s.Comment, s.AnsweredAt!.Value, s.Contact!.FirstName + " " + s.Contact.LastName,
                s.ProjectId, s.Project!.Name))
            .ToListAsync(ct);

    /// <summary>Marks the company's alert handled; false when it has no such open alert.</summary>
    public static async Task<bool> MarkHandledAsync(CasewireDb db, int companyId, int surveyId, string by, DateTimeOffset now, CancellationToken ct)
    {
        var survey = await db.Surveys.ForCompany(companyId).FirstOrDefaultAsync(s => s.Id == surveyId && s.Score <= 6 && s.HandledAt == null, ct);
        if (survey is null) return false;
        (survey.HandledAt, survey.HandledBy) = (now, by.Length <= Model.Limits.Name ? by : by[..Model.Limits.Name]);
        await db.SaveChangesAsync(ct);
        return true;
    }
}
