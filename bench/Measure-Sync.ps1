#Requires -Version 7.2
<#
.SYNOPSIS
    Measures what Sync-SecretStore costs against the size of the store: a sync must cost what
    changed, not what exists (docs/BENCHMARKS.md, "Sync").

.DESCRIPTION
    Runs on a real pwsh with the built module (out/Secrets) and the real git. For each size, a
    store of that many secrets is put in a git repository with a bare remote and two clones (one
    person on two machines: one identity, two Secrets homes). Each round:
      - clone A writes 10 secrets and syncs (commit and push);
      - clone B writes 10 other secrets and syncs (fetch, verify A's commit, make its 10 changes
        again on top, push);
      - clone A syncs (fetch, verify B's commit, fast-forward).
    The first sync of clone B that receives commits verifies the whole store once, and is
    reported apart, as is the first push of the whole store. Every figure
    is the median of the rounds; the target is a ratio between sizes of the same run.

.PARAMETER Sizes
    The numbers of secrets.

.PARAMETER Rounds
    Rounds per size (the median is reported).

.PARAMETER Work
    Where the stores are kept; the stores of Measure-Cmdlets.ps1 are reused when present.

.EXAMPLE
    dotnet build -c Release; dotnet pwsh -Command "& ./bench/Measure-Sync.ps1 -Sizes 100,10000"   # a list needs -Command: -File passes it as one string
#>
[CmdletBinding()]
param(
    [int[]] $Sizes = @(100, 1000, 10000),
    [int] $Rounds = 5,
    [string] $Work = (Join-Path ([IO.Path]::GetTempPath()) 'secrets-cmdlet-bench')
)

$ErrorActionPreference = 'Stop'
$InformationPreference = 'Continue'
$module = Join-Path $PSScriptRoot '..' 'out' 'Secrets' 'Secrets.psd1' | Resolve-Path | Select-Object -ExpandProperty Path
if (-not (Get-Command git -CommandType Application -ErrorAction Ignore)) { throw 'git is not on the PATH: Sync-SecretStore needs it.' }
New-Item -ItemType Directory -Path $Work -Force | Out-Null
Import-Module $module

function Median([double[]] $values) { $sorted = $values | Sort-Object; $sorted[[int][math]::Floor($sorted.Count / 2)] }
function Time([scriptblock] $block) { $watch = [Diagnostics.Stopwatch]::StartNew(); $null = & $block; $watch.Elapsed.TotalMilliseconds }
function Format([double] $ms) { if ($ms -lt 10) { '{0:N2} ms' -f $ms } else { '{0:N0} ms' -f $ms } }
function Invoke-Git { param([string] $Folder) $output = & git -C $Folder @args 2>&1; if ($LASTEXITCODE -ne 0) { throw "git $args failed in $($Folder): $output" }; $output }

$results = [ordered]@{}
foreach ($size in $Sizes) {
    # The store: the one Measure-Cmdlets.ps1 writes, or written here the same way.
    $source = Join-Path $Work "secrets-$size"
    if (-not (Test-Path (Join-Path $source 'ready'))) {
        Write-Information "Writing a store of $size secrets..."
        Remove-Item -Recurse -Force $source -ErrorAction Ignore
        $env:SECRETS_HOME = $source
        $null = New-SecretIdentity -DisplayName bench -NoPassword
        foreach ($i in 1..$size) { Secrets\Set-Secret -Name ('app/s{0:D5}' -f $i) -Secret "value-$i" -Metadata @{ team = 'ops' } }
        New-Item -ItemType File -Path (Join-Path $source 'ready') | Out-Null
    }

    Write-Information "Syncing a store of $size secrets..."
    $root = Join-Path $Work "sync-$size"
    Remove-Item -Recurse -Force $root -ErrorAction Ignore
    $remote = Join-Path $root 'remote.git'
    $null = & git init -q --bare -b main $remote
    $clones = @{}
    foreach ($side in 'a', 'b') {
        $sideHome = Join-Path $root "$side-home"
        New-Item -ItemType Directory -Path $sideHome -Force | Out-Null
        Copy-Item -Recurse (Join-Path $source 'identities') (Join-Path $sideHome 'identities')
        $clones[$side] = @{ Home = $sideHome; Repo = Join-Path $root $side; Store = Join-Path $root $side 'store' }
    }

    # Clone A starts the repository with the whole store; clone B clones it.
    $a = $clones.a; $b = $clones.b
    $null = & git init -q -b main $a.Repo
    Copy-Item -Recurse (Join-Path $source 'store') $a.Store
    Invoke-Git $a.Repo remote add origin $remote
    $env:SECRETS_HOME = $a.Home
    Invoke-Git $a.Repo config user.name bench; Invoke-Git $a.Repo config user.email bench@example.org
    $initial = Time { Sync-SecretStore -Path $a.Store }
    $null = & git clone -q $remote $b.Repo 2>&1
    Invoke-Git $b.Repo config user.name bench; Invoke-Git $b.Repo config user.email bench@example.org
    # B's first sync that receives something verifies the whole store once.
    $env:SECRETS_HOME = $a.Home
    $n = 0
    foreach ($i in 1..10) { Secrets\Set-Secret -Store $a.Store -Name ('new/a{0:D4}' -f (++$n)) -Secret "a-$n" }
    $null = Sync-SecretStore -Path $a.Store
    $env:SECRETS_HOME = $b.Home
    $firstB = Time { Sync-SecretStore -Path $b.Store }

    $samples = @{ Push = @(); Rebase = @(); Receive = @() }
    foreach ($round in 1..$Rounds) {
        $env:SECRETS_HOME = $a.Home
        foreach ($i in 1..10) { Secrets\Set-Secret -Store $a.Store -Name ('new/a{0:D4}' -f (++$n)) -Secret "a-$n" }
        $samples.Push += Time { Sync-SecretStore -Path $a.Store }
        $env:SECRETS_HOME = $b.Home
        foreach ($i in 1..10) { Secrets\Set-Secret -Store $b.Store -Name ('new/b{0:D4}' -f (++$n)) -Secret "b-$n" }
        $samples.Rebase += Time { Sync-SecretStore -Path $b.Store }
        $env:SECRETS_HOME = $a.Home
        $samples.Receive += Time { Sync-SecretStore -Path $a.Store }
    }

    $results["$size"] = [ordered]@{ Initial = $initial; First = $firstB; Push = Median $samples.Push; Rebase = Median $samples.Rebase; Receive = Median $samples.Receive }
}

$small = ($Sizes | Measure-Object -Minimum).Minimum
$large = ($Sizes | Measure-Object -Maximum).Maximum
"## Sync ($Rounds rounds, medians; pwsh $($PSVersionTable.PSVersion); git $((git --version) -replace '^git version ', ''); $([Environment]::ProcessorCount) cores)"
''
'| Sync-SecretStore | ' + (($Sizes | ForEach-Object { '{0:N0} secrets' -f $_ }) -join ' | ') + ' |'
'|---|' + (($Sizes | ForEach-Object { '---:' }) -join '|') + '|'
foreach ($row in @(
        @('10 secrets written here: commit and push', 'Push'), @('10 written here and 10 by the other clone: verify, re-base, push', 'Rebase'),
        @('10 written by the other clone: verify and fast-forward', 'Receive'), @('first sync of a new clone, receiving 10 (verifies the whole store once)', 'First'), @('first push of the whole store', 'Initial'))) {
    '| ' + $row[0] + ' | ' + (($Sizes | ForEach-Object { Format $results["$_"][$row[1]] }) -join ' | ') + ' |'
}

''
'| target | measured | met |'
'|---|---:|---|'
foreach ($row in @(@('sync that re-bases 10 changes', 'Rebase'), @('sync that receives 10 changes', 'Receive'), @('sync that pushes 10 changes', 'Push'))) {
    $r = $results["$large"][$row[1]] / $results["$small"][$row[1]]
    '| {0}, {1:N0} / {2:N0} secrets, ≤ 1.5 | {3:N2} | {4} |' -f $row[0], $large, $small, $r, ($r -le 1.5)
}
