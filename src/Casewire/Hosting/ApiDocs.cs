using Casewire.Partner;
using Casewire.Partner.Json;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace Casewire.Hosting;

/// <summary>The OpenAPI document (<c>/openapi/v1.json</c>) and its Scalar reference (<c>/docs</c>).</summary>
public static class ApiDocs
{
    public static IHostApplicationBuilder AddApiDocs(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Casewire Partner API",
                    Version = "v2",
                    Description =
                        "The Partner API v2 as published, served by Casewire. Every call needs `Authorization: Bearer <token>`; " +
                        "a token belongs to one company and every id is looked up within it. Errors are RFC 9457 problem details. " +
                        $"Operations marked `{PartnerApi.ExtensionMarker}` go beyond the published API.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "An API token (cw_…) from the Company App or `casewire token create`.",
                };
                document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", document)] = [] }];
                return Task.CompletedTask;
            });
            // Optional<T> is "T or null, or absent": document it as the nullable T it reads.
            options.AddSchemaTransformer((schema, context, _) =>
            {
                var type = context.JsonTypeInfo.Type;
                if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Optional<>))
                {
                    schema.Type = JsonSchemaType.String | JsonSchemaType.Null;
                    schema.Properties?.Clear();
                    schema.Required?.Clear();
                }
                return Task.CompletedTask;
            });
        });
        return builder;
    }

    public static IEndpointRouteBuilder MapApiDocs(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference("/docs", options => options
            .WithTitle("Casewire Partner API")
            .WithOpenApiRoutePattern("/openapi/{documentName}.json"));
        return app;
    }
}
