// The vendor simulators' host; filled in by the vendor connectors issue.
var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.MapGet("/", () => "FunctionsUploader simulators");
app.Run();
