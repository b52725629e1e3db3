namespace Casewire.Feedback;

static class FeedbackExtensions
{
    /// <summary>Surveys, their answers, review requests and detractor alerts (SPEC §13).</summary>
    public static IHostApplicationBuilder AddFeedback(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<FeedbackOptions>().BindConfiguration(FeedbackOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<Surveys>();
        builder.Services.AddScoped<SurveyAnswers>();
        builder.Services.AddScoped<TypeFeedback>();
        return builder;
    }
}
