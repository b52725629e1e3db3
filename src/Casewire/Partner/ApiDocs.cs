using Casewire.Partner.Json;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace Casewire.Partner;

/// <summary>The OpenAPI document (<c>/openapi/v1.json</c>) and its Scalar reference (<c>/docs</c>).</summary>
static class ApiDocs
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
                if (IsOptional(type))
                {
                    schema.Type = JsonSchemaType.String | JsonSchemaType.Null;
                    schema.Properties?.Clear();
                    schema.Required?.Clear();
                }
                // Contact and member references are read by hand (a number, a string or an object).
                if (type == typeof(List<System.Text.Json.JsonElement>))
                    schema.Items = new OpenApiSchema
                    {
                        Description = "A reference: a Casewire id (integer), a CMS externalId (string), or {\"id\": n} / {\"externalId\": \"…\"}.",
                        AnyOf =
                        [
                            new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "1" },
                            new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1 },
                            new OpenApiSchema { Type = JsonSchemaType.Object, Properties = new Dictionary<string, IOpenApiSchema>
                            {
                                ["id"] = new OpenApiSchema { Type = JsonSchemaType.Integer },
                                ["externalId"] = new OpenApiSchema { Type = JsonSchemaType.String },
                            } },
                        ],
                    };
                // Request strings are read by a checking converter (Partner/Json/TextConverter), which hides from the
                // schema exporter that they are plain JSON strings: say so again, for strings and lists and maps of them.
                if (type == typeof(string))
                    schema.Type = context.JsonPropertyInfo is { IsGetNullable: true } ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String;
                if (schema.Items is null && IsListOfStrings(type))
                    schema.Items = new OpenApiSchema { Type = JsonSchemaType.String };
                if (schema.AdditionalProperties is OpenApiSchema { Items: null } values
                    && type.IsGenericType && type.GetGenericArguments() is [_, var valueType] && IsListOfStrings(valueType))
                    values.Items = new OpenApiSchema { Type = JsonSchemaType.String };
                // An Optional<T> member may be left out: it is never required.
                foreach (var property in context.JsonTypeInfo.Properties.Where(p => IsOptional(p.PropertyType)))
                    schema.Required?.Remove(property.Name);
                return Task.CompletedTask;
            });
        });
        return builder;
    }

    static bool IsListOfStrings(Type type) =>
        type != typeof(string) && typeof(IEnumerable<string>).IsAssignableFrom(type);

    static bool IsOptional(Type type) => type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Optional<>);

    public static IEndpointRouteBuilder MapApiDocs(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference("/docs", options => options
            .WithTitle("Casewire Partner API")
            .WithOpenApiRoutePattern("/openapi/{documentName}.json"));
        return app;
    }
}
