using System.Net;
using System.Text.Json.Nodes;
using Casewire.Feedback;
using Casewire.Model;
using Casewire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Casewire.Tests.Feedback;

/// <summary>
/// SPEC §13: the satisfaction survey — when it is asked (phases chosen on the type, completion), in the delivery
/// window, at most once a month per client — and what an answer sets off: the score recorded from a text,
/// a review request to promoters (once ever, with a URL), an email to the team about detractors.
/// The class shares one app and clock; each test has its own firm and moves the clock only forward.
/// </summary>
public sealed class FeedbackTests(FeedbackApp app) : IClassFixture<FeedbackApp>
{
    async Task<(CasewireApp.Tenant Tenant, string Sender, string Phone)> CompletedCaseAsync(string? reviewUrl = null, string language = "en")
    {
        var (tenant, sender) = await app.FirmAsync(surveyOnCompletion: true, reviewUrl: reviewUrl);
        var phone = await FeedbackApp.ClientAsync(tenant, "ana", language: language);
        await FeedbackApp.CaseAsync(tenant, "case-1", ["ana"]);
        await FeedbackApp.CaseAsync(tenant, "case-1", ["ana"], status: "Completed");
        await app.DrainAsync();
        return (tenant, sender, phone);
    }

    static bool IsSurvey(string text) => text.Contains("0 to 10", StringComparison.Ordinal) || text.Contains("del 0 al 10", StringComparison.Ordinal);

    // ---- when a survey is asked ----

    [Fact]
    public async Task CompletionAsksInTheDeliveryWindow()
    {
        var (tenant, _) = await app.FirmAsync(surveyOnCompletion: true, window: DeliveryWindow.BusinessHours);
        var phone = await FeedbackApp.ClientAsync(tenant, "ana");
        await FeedbackApp.CaseAsync(tenant, "case-1", ["ana"]);
        await app.NextAsync(IsoDayOfWeek.Friday, 21);
        await FeedbackApp.CaseAsync(tenant, "case-1", ["ana"], status: "Completed");
        await app.DrainAsync();
        Assert.DoesNotContain(app.TextsTo(phone), IsSurvey);

        await app.NextAsync(IsoDayOfWeek.Monday, 8);
        var survey = Assert.Single(app.TextsTo(phone), IsSurvey);
        Assert.Equal("Hi Ana, how likely are you to recommend Acme Law to a friend? Reply with a number from 0 to 10 (10 = very likely), and a comment if you like.", survey);
        Assert.Equal("completion", Assert.Single(await app.SurveysAsync(tenant.CompanyId)).Trigger);
    }

    [Fact]
    public async Task CompletionAsksNothingWhenNeitherTheTypeNorTheFirmWantsIt()
    {
        var (tenant, _) = await app.FirmAsync(surveyOnCompletion: false);
        var phone = await FeedbackApp.ClientAsync(tenant, "ana");
        await FeedbackApp.CaseAsync(tenant, "case-1", ["ana"]);
        await FeedbackApp.CaseAsync(tenant, "case-1", ["ana"], status: "Completed");
        await app.DrainAsync();
        Assert.DoesNotContain(app.TextsTo(phone), IsSurvey);
        Assert.Empty(await app.SurveysAsync(tenant.CompanyId));
    }

    [Fact]
    public async Task APhaseChosenOnTheTypeAsksWhenACaseEntersItAndOtherPhasesDoNot()
    {
        var (tenant, _) = await app.FirmAsync();
        var phone = await FeedbackApp.ClientAsync(tenant, "ana", language: "es");
        await FeedbackApp.CaseAsync(tenant, "case-1", ["ana"]);
        await FeedbackApp.CaseAsync(tenant, "case-1", ["ana"], phase: "Settlement");
        await FeedbackApp.CaseAsync(tenant, "case-1", ["ana"], phase: "Intake");
        await app.WithDbAsync(async db =>
        {
            var settlement = await db.Phases.SingleAsync(p => p.Name == "Settlement" && db.ProjectTypes.Any(t => t.Id == p.ProjectTypeId && t.CompanyId == tenant.CompanyId));
            settlement.SendsSurvey = true;
            await db.SaveChangesAsync();
        });
        await FeedbackApp.CaseAsync(tenant, "case-1", ["ana"], phase: "Discovery");
        await app.DrainAsync();
        Assert.DoesNotContain(app.TextsTo(phone), IsSurvey);

        await FeedbackApp.CaseAsync(tenant, "case-1", ["ana"], phase: "Settlement");
        await app.DrainAsync();
        var survey = Assert.Single(app.TextsTo(phone), IsSurvey);
        Assert.StartsWith("Hola Ana, ¿qué probabilidad hay de que recomiende Acme Law a un amigo?", survey);
        Assert.Equal("phase:Settlement", Assert.Single(await app.SurveysAsync(tenant.CompanyId)).Trigger);
    }

    [Fact]
    public async Task AClientIsAskedAtMostOnceInMinDaysBetweenSurveys()
    {
        var (tenant, _) = await app.FirmAsync(surveyOnCompletion: true);
        var phone = await FeedbackApp.ClientAsync(tenant, "ana");
        foreach (var id in new[] { "case-1", "case-2" })
        {
            await FeedbackApp.CaseAsync(tenant, id, ["ana"]);
            await FeedbackApp.CaseAsync(tenant, id, ["ana"], status: "Completed");
        }
        app.Time.Advance(TimeSpan.FromDays(29));
        await FeedbackApp.CaseAsync(tenant, "case-3", ["ana"]);
        await FeedbackApp.CaseAsync(tenant, "case-3", ["ana"], status: "Completed");
        await app.NextAsync(IsoDayOfWeek.Tuesday, 10);
        Assert.Single(app.TextsTo(phone), IsSurvey);

        app.Time.Advance(TimeSpan.FromDays(31));
        await FeedbackApp.CaseAsync(tenant, "case-4", ["ana"]);
        await FeedbackApp.CaseAsync(tenant, "case-4", ["ana"], status: "Completed");
        await app.NextAsync(IsoDayOfWeek.Tuesday, 10);
        Assert.Equal(2, app.TextsTo(phone).Count(IsSurvey));
    }

    // ---- reading a score from a text ----

    [Theory]
    [InlineData("10", 10, null)]
    [InlineData(" 9 great team", 9, "great team")]
    [InlineData("9/10", 9, null)]
    [InlineData("0", 0, null)]
    [InlineData("7, slow to call back", 7, "slow to call back")]
    public void AScoreLeadsTheReplyAndTheRestIsTheComment(string text, int score, string? comment)
    {
        Assert.True(ScoreReplies.TryRead(text, out var read, out var words));
        Assert.Equal(score, read);
        Assert.Equal(comment, words);
    }

    [Theory]
    [InlineData("nine")]
    [InlineData("11")]
    [InlineData("100")]
    [InlineData("STOP")]
    [InlineData("I'd say 9")]
    [InlineData("")]
    public void WhatDoesNotLeadWithANumberFrom0To10IsNotAScore(string text) => Assert.False(ScoreReplies.TryRead(text, out _, out _));

    [Fact]
    public async Task AScoreTextedToAnOpenSurveyIsRecordedAndStaysInTheConversation()
    {
        var (tenant, sender, phone) = await CompletedCaseAsync();
        await app.TextInAsync(phone, sender, " 9 great team");

        var survey = Assert.Single(await app.SurveysAsync(tenant.CompanyId));
        Assert.Equal((9, "great team", "sms"), (survey.Score!.Value, survey.Comment, survey.AnsweredVia));
        var conversation = (await (await tenant.Http.GetAsync("/partner/v2/projects/case-1/messages")).ExpectAsync(HttpStatusCode.OK))["items"]!.AsArray();
        Assert.Contains(conversation, m => (string?)m!["text"] == " 9 great team");
    }

    [Fact]
    public async Task StopStillOptsOutWithASurveyOpen()
    {
        var (tenant, sender, phone) = await CompletedCaseAsync();
        await app.TextInAsync(phone, sender, "STOP");
        Assert.Null(Assert.Single(await app.SurveysAsync(tenant.CompanyId)).Score);
        Assert.True(await app.WithDbAsync(db => db.OptOuts.AnyAsync(o => o.CompanyId == tenant.CompanyId && o.Phone == phone && o.Active)));
    }

    [Fact]
    public async Task ANumberWithNoSurveyOpenIsAnOrdinaryReply()
    {
        var (tenant, sender) = await app.FirmAsync();
        var phone = await FeedbackApp.ClientAsync(tenant, "ana");
        await FeedbackApp.CaseAsync(tenant, "case-1", ["ana"]);
        await app.TextInAsync(phone, sender, "8");
        Assert.Empty(await app.SurveysAsync(tenant.CompanyId));
        Assert.True(await app.WithDbAsync(db => db.Messages.AnyAsync(m => m.CompanyId == tenant.CompanyId && m.Kind == MessageKind.Reply && m.Text == "8")));

        var (late, lateSender, latePhone) = await CompletedCaseAsync();
        app.Time.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        await app.TextInAsync(latePhone, lateSender, "8");
        Assert.Null(Assert.Single(await app.SurveysAsync(late.CompanyId)).Score);
    }

    [Fact]
    public async Task WithASurveyOpenNineInWordsIsAnOrdinaryReplyAndNineOverTenIsTheScore()
    {
        var (tenant, sender, phone) = await CompletedCaseAsync();

        await app.TextInAsync(phone, sender, "nine");
        Assert.Null(Assert.Single(await app.SurveysAsync(tenant.CompanyId)).Score);
        Assert.True(await app.WithDbAsync(db => db.Messages.AnyAsync(m => m.CompanyId == tenant.CompanyId && m.Kind == MessageKind.Reply && m.Text == "nine")));

        await app.TextInAsync(phone, sender, "9/10");
        var survey = Assert.Single(await app.SurveysAsync(tenant.CompanyId));
        Assert.Equal((9, null, "sms"), (survey.Score!.Value, survey.Comment, survey.AnsweredVia));
    }

    // ---- what an answer sets off ----

    [Fact]
    public async Task APromoterIsAskedForAReviewOnlyWithAUrlAndOnceEver()
    {
        var (noUrl, noUrlSender, noUrlPhone) = await CompletedCaseAsync();
        await app.TextInAsync(noUrlPhone, noUrlSender, "10");
        Assert.Equal(10, Assert.Single(await app.SurveysAsync(noUrl.CompanyId)).Score);
        Assert.DoesNotContain(app.TextsTo(noUrlPhone), t => t.Contains("review", StringComparison.Ordinal));

        var (tenant, sender, phone) = await CompletedCaseAsync(reviewUrl: "https://g.page/r/acme/review", language: "es");
        await app.TextInAsync(phone, sender, "10 gracias");
        Assert.Equal("¡Gracias, Ana! ¿Compartiría su experiencia con Acme Law en una reseña? https://g.page/r/acme/review", app.TextsTo(phone)[^1]);

        app.Time.Advance(TimeSpan.FromDays(31));
        await FeedbackApp.CaseAsync(tenant, "case-2", ["ana"]);
        await FeedbackApp.CaseAsync(tenant, "case-2", ["ana"], status: "Completed");
        await app.NextAsync(IsoDayOfWeek.Tuesday, 10);
        await app.TextInAsync(phone, sender, "9");
        Assert.Equal([10, 9], (await app.SurveysAsync(tenant.CompanyId)).Select(s => s.Score!.Value));
        Assert.Single(app.TextsTo(phone), t => t.Contains("g.page", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ADetractorsScoreEmailsTheCasesTeam()
    {
        var (tenant, sender) = await app.FirmAsync(surveyOnCompletion: true);
        var phone = await FeedbackApp.ClientAsync(tenant, "ana");
        await FeedbackApp.CaseAsync(tenant, "case-1", ["ana"]);
        var sam = $"sam.{Guid.NewGuid():N}@firm.example";
        await tenant.TeamMemberAsync("32435", sam);
        await (await tenant.Http.PostJsonAsync("/partner/v2/send-message", new { projectId = "case-1", text = "Hello Ana, Sam here.", authorId = "32435" }))
            .ExpectAsync(HttpStatusCode.Accepted);
        await FeedbackApp.CaseAsync(tenant, "case-1", ["ana"], status: "Completed");
        await app.DrainAsync();

        await app.TextInAsync(phone, sender, "3 nobody called me back");

        var email = Assert.Single(app.Catcher.Messages, m => m.EnvelopeTo.Contains(sam));
        Assert.Equal("Unhappy client: Ana García scored 3/10 on García v. Harbor", email.Message.Subject);
        Assert.Contains("Their comment: nobody called me back", email.Message.TextBody);
        Assert.DoesNotContain(app.TextsTo(phone), t => t.Contains("review", StringComparison.Ordinal));
    }

    // ---- reporting ----

    [Fact]
    public void NpsIsPromotersLessDetractorsOverResponses()
    {
        Assert.Null(NpsReport.Score([]));
        Assert.Equal(40, NpsReport.Score([10, 10, 9, 7, 2]));
        Assert.Equal(0, NpsReport.Score([10, 9, 8, 3, 0]));
        Assert.Equal(-100, NpsReport.Score([6, 0]));
        Assert.Equal(33, NpsReport.Score([9, 8, 7]));
    }

    [Fact]
    public async Task NpsCountsTheAnswersOfTheLast90DaysAndTheResponseRate()
    {
        var (tenant, _) = await app.FirmAsync();
        await FeedbackApp.ClientAsync(tenant, "x");
        await FeedbackApp.CaseAsync(tenant, "p", ["x"], milestones: false);
        var now = app.Time.GetUtcNow();
        await app.WithDbAsync(async db =>
        {
            var contact = await db.Contacts.SingleAsync(c => c.CompanyId == tenant.CompanyId);
            var projectId = await db.Projects.Where(p => p.CompanyId == tenant.CompanyId).Select(p => p.Id).SingleAsync();
            void Add(int? score, double daysAgo) => db.Surveys.Add(new Survey
            {
                CompanyId = tenant.CompanyId, ProjectId = projectId, ContactId = contact.Id, Trigger = "completion",
                SentAt = now - TimeSpan.FromDays(daysAgo + 1), Score = score, AnsweredAt = score is null ? null : now - TimeSpan.FromDays(daysAgo),
            });
            foreach (var score in new[] { 10, 10, 9, 7, 2 }) Add(score, 10);
            Add(null, 20);
            Add(0, 91); // outside the window
            await db.SaveChangesAsync();
        });

        var report = await app.WithDbAsync(db => NpsReport.ReadAsync(db, tenant.CompanyId, null, DateTimeZoneProviders.Tzdb["America/New_York"], now, default));
        Assert.Equal((40, 5, 6, 5), (report.Nps!.Value, report.Responses, report.Sent, report.Answered));
        Assert.Equal(83, report.ResponseRate);
        Assert.Equal(NpsReport.TrendMonths, report.Trend.Count);
    }

    // ---- the Partner API and the webhook ----

    [Fact]
    public async Task GetFeedbackListsTheFirmsAnswersOnlyAndRefusesABadSince()
    {
        var (tenant, sender, phone) = await CompletedCaseAsync();
        await app.TextInAsync(phone, sender, "10 great");
        var (other, otherSender, otherPhone) = await CompletedCaseAsync(); // same external ids, another firm
        await app.TextInAsync(otherPhone, otherSender, "2");

        var page = await (await tenant.Http.GetAsync("/partner/v2/feedback")).ExpectAsync(HttpStatusCode.OK);
        var item = Assert.Single(page["items"]!.AsArray())!;
        Assert.Equal(("case-1", "ana", 10, "great", "completion"),
            ((string?)item["projectId"], (string?)item["contactId"], (int)item["score"]!, (string?)item["comment"], (string?)item["trigger"]));
        Assert.Null((string?)page["nextCursor"]);
        var others = await (await other.Http.GetAsync("/partner/v2/feedback")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, (int)Assert.Single(others["items"]!.AsArray())!["score"]!);

        var later = await (await tenant.Http.GetAsync($"/partner/v2/feedback?since={Uri.EscapeDataString(app.Time.GetUtcNow().AddMinutes(1).ToString("O"))}"))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(later["items"]!.AsArray());
        var problem = await (await tenant.Http.GetAsync("/partner/v2/feedback?since=yesterday")).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("ISO 8601", Assert.Single(problem.ErrorsFor("since")));
    }

    [Fact]
    public async Task AnAnswerRaisesFeedbackReceived()
    {
        var (tenant, sender, phone) = await CompletedCaseAsync();
        await app.WithDbAsync(async db =>
        {
            db.WebhookEndpoints.Add(new WebhookEndpoint { CompanyId = tenant.CompanyId, Url = "https://cms.example/hooks", Secret = "whsec_dGVzdHNlY3JldHRlc3RzZWNyZXQ=", CreatedAt = app.Time.GetUtcNow() });
            await db.SaveChangesAsync();
        });
        await app.TextInAsync(phone, sender, "8 fine");

        var bodies = await app.WithDbAsync(db => db.OutboxItems.Where(o => o.CompanyId == tenant.CompanyId && o.Channel == Channel.Webhook).Select(o => o.Body).ToListAsync());
        var received = bodies.Select(b => JsonNode.Parse(b)!).Single(b => (string?)b["type"] == "feedback.received");
        Assert.Equal((8, "fine", "ana"), ((int)received["data"]!["score"]!, (string?)received["data"]!["comment"], (string?)received["data"]!["contactId"]));
    }
}
