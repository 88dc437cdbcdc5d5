using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Switchboard.Infrastructure.OpenApi;

// What the generated /openapi/v1.json cannot know by itself: the bearer scheme, which operations
// need it, and the query strings that handlers read from the request instead of binding
// (docs/decisions/0801-openapi-completeness.md says why a transformer rather than [AsParameters]).
public static class OpenApiSetup
{
    public const string BearerScheme = "bearer";

    public static IServiceCollection AddSwitchboardOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(o =>
        {
            o.AddDocumentTransformer((document, _, _) =>
            {
                Describe(document);
                return Task.CompletedTask;
            });
            o.AddOperationTransformer((operation, context, _) =>
            {
                ApplySecurity(operation, context);
                Bodies.Apply(operation, context);
                return Task.CompletedTask;
            });
            o.AddSchemaTransformer(SchemaTypes.Apply);
        });

    private static void Describe(OpenApiDocument document)
    {
        document.Info.Title = "Switchboard";
        document.Info.Description =
            "Tickets and team chat. The reference for client writers is docs/api/ in the repository; " +
            "every route answers with and without a trailing slash.";
        // The generator writes the address the document was fetched from (often localhost); a
        // relative server keeps the document valid wherever it is served.
        document.Servers = [new OpenApiServer { Url = "/", Description = "The server that serves this document" }];
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "An access token from POST /api/auth/token/ (or /api/auth/token/refresh/), sent as Authorization: Bearer <token>.",
        };
        foreach (var tag in document.Tags ?? new HashSet<OpenApiTag>())
        {
            tag.Description ??= TagDescriptions.GetValueOrDefault(tag.Name ?? "") ?? $"{tag.Name} endpoints.";
        }
    }

    private static readonly Dictionary<string, string> TagDescriptions = new()
    {
        ["Auth"] = "Registration, tokens and the signed-in user.",
        ["Users"] = "Finding other users.",
        ["Projects"] = "Projects and their members; every ticket and chat room belongs to one.",
        ["Tickets"] = "Tickets with their history, watchers, comments and attachments.",
        ["Chat rooms"] = "Direct and group rooms inside a project.",
        ["Chat messages"] = "Messages, their cursor-paged history, search, edits and reactions.",
        ["Chat attachments"] = "Files sent in chat, served to room participants only.",
    };

    // An operation needs the token unless its endpoint allows anonymous callers. Anonymous ones get
    // an empty requirement ({}), so the document says "no token" instead of saying nothing; file
    // downloads take either a signed link (the sig parameter) or the token, so they get both.
    private static void ApplySecurity(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var anonymous = metadata.OfType<IAllowAnonymous>().Any() || !metadata.OfType<IAuthorizeData>().Any();
        var signedLink = operation.Parameters?.Any(p => p.Name == "sig") == true;
        operation.Security ??= [];
        if (anonymous)
        {
            operation.Security.Add(new OpenApiSecurityRequirement());
        }
        if (!anonymous || signedLink)
        {
            operation.Security.Add(new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [],
            });
        }
    }
}
