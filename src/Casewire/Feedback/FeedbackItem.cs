using Casewire.Model;

namespace Casewire.Feedback;

/// <summary>
/// One answer as the Partner API (<c>GET feedback</c>) and the <c>feedback.received</c> webhook show it (SPEC §13):
/// <c>projectId</c> and <c>contactId</c> are the CMS's external ids, as everywhere in the Partner API.
/// </summary>
sealed record FeedbackItem(int Id, string ProjectId, string ContactId, int Score, string? Comment, DateTimeOffset ReceivedAt, string Trigger, string Channel)
{
    public static FeedbackItem From(Survey survey, string projectExternalId, string contactExternalId) =>
        new(survey.Id, projectExternalId, contactExternalId, survey.Score ?? 0, survey.Comment, survey.AnsweredAt ?? default, survey.Trigger,
            survey.AnsweredVia ?? "sms");
}
