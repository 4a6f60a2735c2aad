using FunctionsUploader.Cli;

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl+C stops the job cleanly; its journal keeps what finished, for `uploader resume`.
    e.Cancel = true;
    stop.Cancel();
};

return await UploaderCli.RunAsync(args, Console.Out, Console.Error, stop.Token);
