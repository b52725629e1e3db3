using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Casewire.Partner.Auth;
using Casewire.Partner.Json;
using Microsoft.OpenApi;

namespace Casewire.Partner;

/// <summary>The Partner API v2 (SPEC §1–§5): composition of its parts.</summary>
static class PartnerApi
{
    public const string BasePath = "/partner/v2";
    public const string ExtensionMarker = "x-casewire-extension";

    public static IHostApplicationBuilder AddPartnerApi(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddScoped<Tenant>();
        services.AddSingleton<TokenCache>();
        services.AddSingleton<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor, TokenCacheInterceptor>();
        services.AddSingleton<TokenLastUsed>();
        services.AddHostedService(sp => sp.GetRequiredService<TokenLastUsed>());
        services.AddAuthentication()
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiTokenAuthentication>(ApiTokenAuthentication.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(ApiTokenAuthentication.SchemeName, policy => policy
                .AddAuthenticationSchemes(ApiTokenAuthentication.SchemeName)
                .RequireAuthenticatedUser());

        services.ConfigureHttpJsonOptions(o => Configure(o.SerializerOptions));
        // Bind failures throw so RequestProblems can answer with the line, position and field.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddExceptionHandler<RequestProblems>();
        services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
            c.ProblemDetails.Extensions.TryAdd("traceId", c.HttpContext.TraceIdentifier));
        builder.AddPartnerRateLimits();
        return builder;
    }

    /// <summary>
    /// SPEC §1: camelCase, unknown properties ignored, trailing commas and comments tolerated
    /// (the published examples have them), duplicate properties refused as ambiguous, strings and
    /// free-form values checked to be storable text as they are read.
    /// </summary>
    public static void Configure(JsonSerializerOptions options)
    {
        options.AllowTrailingCommas = true;
        options.ReadCommentHandling = JsonCommentHandling.Skip;
        options.AllowDuplicateProperties = false;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.MaxDepth = 32;
        options.Converters.Add(new TextConverter());
        options.Converters.Add(new CheckedJsonElementConverter());
    }

    public static IEndpointRouteBuilder MapPartnerApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(BasePath)
            .RequireAuthorization(ApiTokenAuthentication.SchemeName)
            .RequirePerTokenRateLimit()
            .WithTags("Partner API v2")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        api.MapContacts();
        api.MapProjects();
        api.MapTeamMembers();
        api.MapMe();
        api.MapMessages();
        api.MapCalendarEvents();
        api.MapFeedback();
        api.MapMassMessages();
        api.MapDocuments();
        return app;
    }

    /// <summary>Marks an endpoint in the OpenAPI document as beyond the published Partner API.</summary>
    public static RouteHandlerBuilder MarkAsExtension(this RouteHandlerBuilder endpoint) =>
        endpoint.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
            operation.Extensions[ExtensionMarker] = new JsonNodeExtension(JsonValue.Create(true));
            operation.Description = "Extension (not in the published Partner API v2). " + operation.Description;
            return Task.CompletedTask;
        });
}
