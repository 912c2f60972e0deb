#Requires -Version 7.2
<#
.SYNOPSIS
    Measures what a user sees at the cmdlet level, on stores of several sizes, and the ratios the
    project's performance targets are stated in (docs/BENCHMARKS.md, "Cmdlets").

.DESCRIPTION
    Runs on a real pwsh with the built module (out/Secrets). Every figure is the median of
    interleaved rounds (every size and every call takes its turn in each round), so that a busy
    machine slows every case alike; the targets are ratios between figures of the same run, never
    absolute times.

    Measured for each size (100, 1,000 and 10,000 secrets by default):
      - Get-SecretInfo of every secret: Secrets\Get-SecretInfo, warm (in the same process), and
        through SecretManagement (Microsoft.PowerShell.SecretManagement\Get-SecretInfo -Vault), and the
        first call in a new process;
      - Get-SecretInfo -Name of one secret, and tab completion of a name;
      - Get-Secret -AsPlainText of one secret;
      - with -Shared: Get-Secret and Set-Secret in a store whose log has as many entries as the store
        has secrets, against the same in an unshared store;
      - with -Grants: Grant-SecretAccess of Read on every secret of the store through one pipeline,
        the cost of each grant (the last hundred against the first hundred).

    Where Microsoft.PowerShell.SecretManagement and Microsoft.PowerShell.SecretStore are on
    PSModulePath, the same Get-SecretInfo is measured on a SecretStore vault of the same size, in the
    same run (the largest size in this process, right after Secrets' in each round, the target being
    the median of the rounds' ratios; the others in a process of their own, as SecretStore keeps one
    vault per user); otherwise that part is skipped with a message. Writing a SecretStore vault of 10,000
    secrets takes a long time (each write rewrites the whole vault): the stores are kept in -Work and
    reused by later runs.

.PARAMETER Sizes
    The numbers of secrets.

.PARAMETER Rounds
    Interleaved rounds per figure (the median is reported).

.PARAMETER Batch
    Calls per timing for the operations that take about a millisecond (Get-SecretInfo -Name,
    Get-Secret, tab completion): the figure is the batch's time divided by this.

.PARAMETER Work
    Where the stores are kept between runs.

.EXAMPLE
    dotnet build -c Release; dotnet pwsh -File bench/Measure-Cmdlets.ps1 -Shared -Grants

.EXAMPLE
    dotnet pwsh -Command "& ./bench/Measure-Cmdlets.ps1 -Sizes 100,10000"   # a list of sizes needs -Command: -File passes '100,10000' as one string
#>
[CmdletBinding()]
param(
    [int[]] $Sizes = @(100, 1000, 10000),
    [int] $Rounds = 7,
    [int] $Batch = 20,
    [string] $Work = (Join-Path ([IO.Path]::GetTempPath()) 'secrets-cmdlet-bench'),
    [switch] $Shared,
    [switch] $Grants
)

$ErrorActionPreference = 'Stop'
$InformationPreference = 'Continue'
$module = Join-Path $PSScriptRoot '..' 'out' 'Secrets' 'Secrets.psd1' | Resolve-Path | Select-Object -ExpandProperty Path
$pwsh = (Get-Process -Id $PID).Path
[string[]] $pwshArgs = if ([IO.Path]::GetFileNameWithoutExtension($pwsh) -eq 'dotnet') { @([Reflection.Assembly]::GetEntryAssembly().Location) } else { @() }
New-Item -ItemType Directory -Path $Work -Force | Out-Null

function Median([double[]] $values) { $sorted = $values | Sort-Object; $sorted[[int][math]::Floor($sorted.Count / 2)] }

function Time([scriptblock] $block) {
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $null = & $block
    $watch.Elapsed.TotalMilliseconds
}

function Format([double] $ms) { if ($ms -lt 10) { '{0:N2} ms' -f $ms } else { '{0:N0} ms' -f $ms } }

# --- Secrets stores: one home per size, written once through the cmdlets --------------------------
Import-Module $module
$homes = @{}
foreach ($size in $Sizes) {
    $homes[$size] = Join-Path $Work "secrets-$size"
    $env:SECRETS_HOME = $homes[$size]
    if (-not (Test-Path (Join-Path $homes[$size] 'ready'))) {
        Write-Information "Writing a store of $size secrets..."
        Remove-Item -Recurse -Force $homes[$size] -ErrorAction Ignore
        $null = New-SecretIdentity -DisplayName bench -NoPassword
        foreach ($i in 1..$size) { Secrets\Set-Secret -Name ('app/s{0:D5}' -f $i) -Secret "value-$i" -Metadata @{ team = 'ops' } }
        New-Item -ItemType File -Path (Join-Path $homes[$size] 'ready') | Out-Null
    }
}

# --- SecretManagement vaults on the same stores, and SecretStore where installed -----------------
$haveSm = $null -ne (Get-Module -ListAvailable Microsoft.PowerShell.SecretManagement)
$haveSs = $haveSm -and $null -ne (Get-Module -ListAvailable Microsoft.PowerShell.SecretStore)
if ($haveSm) {
    $env:HOME = Join-Path $Work 'sm-home'    # SecretManagement's registry, away from the user's
    New-Item -ItemType Directory -Path $env:HOME -Force | Out-Null
    Import-Module Microsoft.PowerShell.SecretManagement
    foreach ($size in $Sizes) {
        $name = "bench$size"
        if (-not (Microsoft.PowerShell.SecretManagement\Get-SecretVault -Name $name -ErrorAction Ignore)) {
            Register-SecretVault -Name $name -ModuleName (Split-Path $module) -VaultParameters @{
                Store = Join-Path $homes[$size] 'store'; Identity = Join-Path $homes[$size] 'identities' 'default.identity' }
        }
    }
}
else {
    Write-Warning 'Microsoft.PowerShell.SecretManagement is not installed: the figures through SecretManagement and against SecretStore are skipped.'
}

if ($haveSs) {
    # SecretStore keeps one vault per user: each size's is written and measured in a process of its
    # own, and the largest one's is also measured here, taking turns with Secrets in every round.
}
elseif ($haveSm) {
    Write-Warning 'Microsoft.PowerShell.SecretStore is not installed: the comparison with SecretStore is skipped.'
}

function With-SecretStore([int] $size, [string] $block) {
    # SecretStore reads its folder from the user's home when its commands first run: one process per size.
    $ssHome = Join-Path $Work "secretstore-$size"
    New-Item -ItemType Directory -Path $ssHome -Force | Out-Null
    $script = @"
`$ErrorActionPreference = 'Stop'
`$env:HOME = '$ssHome'
`$env:XDG_DATA_HOME = Join-Path '$ssHome' 'data'
Import-Module Microsoft.PowerShell.SecretManagement, Microsoft.PowerShell.SecretStore
`$password = ConvertTo-SecureString 'bench-password-1' -AsPlainText -Force
if (-not (Get-SecretVault -Name ss -ErrorAction Ignore)) { Register-SecretVault -Name ss -ModuleName Microsoft.PowerShell.SecretStore -DefaultVault }
if (-not (Test-Path (Join-Path '$ssHome' 'ready'))) {
    Set-SecretStoreConfiguration -Authentication Password -Password `$password -PasswordTimeout 3600 -Interaction None -Confirm:`$false
    Unlock-SecretStore -Password `$password
    foreach (`$i in 1..$size) { Set-Secret -Name ('app-s{0:D5}' -f `$i) -Secret "value-`$i" -Vault ss -Metadata @{ team = 'ops' } }
    New-Item -ItemType File -Path (Join-Path '$ssHome' 'ready') | Out-Null
}
Unlock-SecretStore -Password `$password
$block
"@
    & $pwsh @pwshArgs -NoProfile -NonInteractive -Command $script
}

# --- Measurements ------------------------------------------------------------------------------------
$largest = ($Sizes | Measure-Object -Maximum).Maximum
$ssHere = $null
if ($haveSs) {
    # The largest size's SecretStore vault in this process too (the target compares the two at that
    # size). SecretStore keeps its vault in the user's home: a copy of that size's goes into this
    # process's home before the module is first used.
    $null = With-SecretStore $largest ''
    $localStore = Join-Path $env:HOME '.secretmanagement' 'localstore'
    Remove-Item -Recurse -Force $localStore -ErrorAction Ignore
    New-Item -ItemType Directory -Path (Split-Path $localStore) -Force | Out-Null
    Copy-Item -Recurse (Join-Path $Work "secretstore-$largest" '.secretmanagement' 'localstore') $localStore
    Import-Module Microsoft.PowerShell.SecretStore
    $ssHere = "ss$largest"
    if (-not (Microsoft.PowerShell.SecretManagement\Get-SecretVault -Name $ssHere -ErrorAction Ignore)) {
        Register-SecretVault -Name $ssHere -ModuleName Microsoft.PowerShell.SecretStore
    }

    Unlock-SecretStore -Password (ConvertTo-SecureString 'bench-password-1' -AsPlainText -Force)
    $listed = @(Microsoft.PowerShell.SecretManagement\Get-SecretInfo -Vault $ssHere).Count
    if ($listed -ne $largest) {
        throw "The SecretStore vault copied into '$localStore' lists $listed secrets, not ${largest}: delete '$(Join-Path $Work "secretstore-$largest")' to write it again."
    }
}

# One call of each kind on every size first, so that no size is measured with code the runtime has
# not optimized yet (the sizes are measured one after another).
foreach ($size in $Sizes) {
    $env:SECRETS_HOME = $homes[$size]
    $store = Join-Path $homes[$size] 'store'
    $one = 'app/s{0:D5}' -f [int]($size / 2)
    $line = "Secrets\Get-Secret -Store '$store' -Name $($one.Substring(0, $one.Length - 1))"
    foreach ($i in 1..$Batch) {
        $null = Secrets\Get-SecretInfo -Store $store -Name $one; $null = Secrets\Get-Secret -Store $store -Name $one -AsPlainText
        $null = TabExpansion2 -inputScript $line -cursorColumn $line.Length
    }
}

# The sizes take turns within each round, so that none is measured on code the runtime has
# optimized less than the others' (which makes whichever size comes first look slower).
$samples = @{}
foreach ($size in $Sizes) {
    $samples[$size] = @{ All = @(); One = @(); Get = @(); Complete = @(); Sm = @(); First = @(); Ss = @(); Ratio = @() }
}

foreach ($round in 1..$Rounds) {
    foreach ($size in $Sizes) {
        $env:SECRETS_HOME = $homes[$size]
        # -Store names the store, so that the lookup order (other stores and vaults) plays no part.
        $store = Join-Path $homes[$size] 'store'
        $one = 'app/s{0:D5}' -f [int]($size / 2)
        $s = $samples[$size]
        $s.All += Time { Secrets\Get-SecretInfo -Store $store }
        # Calls of a millisecond or less are timed in batches, so that one timer tick or one
        # collection of garbage left by the listing above does not make the figure.
        $s.One += (Time { foreach ($i in 1..$Batch) { Secrets\Get-SecretInfo -Store $store -Name $one } }) / $Batch
        $s.Get += (Time { foreach ($i in 1..$Batch) { Secrets\Get-Secret -Store $store -Name $one -AsPlainText } }) / $Batch
        $line = "Secrets\Get-Secret -Store '$store' -Name $($one.Substring(0, $one.Length - 1))"
        $s.Complete += (Time { foreach ($i in 1..$Batch) { TabExpansion2 -inputScript $line -cursorColumn $line.Length } }) / $Batch
        if ($haveSm) { $s.Sm += Time { Microsoft.PowerShell.SecretManagement\Get-SecretInfo -Vault "bench$size" } }
        if ($ssHere -and $size -eq $largest) {
            $s.Ss += Time { Microsoft.PowerShell.SecretManagement\Get-SecretInfo -Vault $ssHere }
            $s.Ratio += $s.Sm[-1] / $s.Ss[-1]
        }
    }
}

# The first call in a new process: as many new processes as rounds for each size, taking turns (the
# kernel's caches of the store's folders make single runs scatter), after the calls above so that
# the processes do not disturb them.
foreach ($round in 1..$Rounds) {
    foreach ($size in $Sizes) {
        $store = Join-Path $homes[$size] 'store'
        $samples[$size].First += [double](& $pwsh @pwshArgs -NoProfile -NonInteractive -Command "`$env:SECRETS_HOME = '$($homes[$size])'; Import-Module '$module'; `$w = [Diagnostics.Stopwatch]::StartNew(); `$null = Secrets\Get-SecretInfo -Store '$store'; `$w.Elapsed.TotalMilliseconds" |
                Select-Object -Last 1)
    }
}

$results = [ordered]@{}
foreach ($size in $Sizes) {
    $s = $samples[$size]
    $results["$size"] = [ordered]@{
        All = Median $s.All; One = Median $s.One; Get = Median $s.Get; Complete = Median $s.Complete
        Sm = if ($haveSm) { Median $s.Sm } else { $null }; First = Median $s.First
    }

    if ($ssHere -and $size -eq $largest) {
        $results["$size"].SecretStore = Median $s.Ss
        $results["$size"].Ratio = Median $s.Ratio
    }
    elseif ($haveSs) {
        $ss = With-SecretStore $size "`$null = Get-SecretInfo -Vault ss; `$t = foreach (`$r in 1..$Rounds) { `$w = [Diagnostics.Stopwatch]::StartNew(); `$null = Get-SecretInfo -Vault ss; `$w.Elapsed.TotalMilliseconds }; (`$t | Sort-Object)[[int][math]::Floor($Rounds / 2)]"
        $results["$size"].SecretStore = [double]($ss | Select-Object -Last 1)
    }
}

# --- Shared store: Get-Secret and Set-Secret with a long store log -----------------------------------
if ($Shared) {
    $size = ($Sizes | Measure-Object -Maximum).Maximum
    $env:SECRETS_HOME = Join-Path $Work "shared-$size"
    $team = Join-Path $env:SECRETS_HOME 'team'
    if (-not (Test-Path (Join-Path $env:SECRETS_HOME 'ready'))) {
        Write-Information "Writing a shared store whose log has $size entries..."
        Remove-Item -Recurse -Force $env:SECRETS_HOME -ErrorAction Ignore
        $null = New-SecretIdentity -DisplayName owner -NoPassword
        $bob = (New-SecretIdentity -DisplayName bob -NoPassword -Path (Join-Path $env:SECRETS_HOME 'bob.identity')).Recipient
        $null = New-SecretStore -Path $team
        $null = Add-SecretStoreMember -Store $team -Name bob -Recipient $bob
        foreach ($i in 1..[int](($size - 1) / 2)) {
            $name = 'app/s{0:D5}' -f $i
            Secrets\Set-Secret -Store $team -Name $name -Secret "value-$i"
            Grant-SecretAccess -Store $team -Name $name -Member bob -Access Read
            Revoke-SecretAccess -Store $team -Name $name -Member bob -WarningAction SilentlyContinue
        }

        New-Item -ItemType File -Path (Join-Path $env:SECRETS_HOME 'ready') | Out-Null
        Secrets\Set-Secret -Store (Join-Path $env:SECRETS_HOME 'store') -Name 'app/s00001' -Secret 'unshared'
    }

    $personal = Join-Path $env:SECRETS_HOME 'store'

    $null = Secrets\Get-Secret -Store $team -Name 'app/s00001' -AsPlainText
    $s = @{ SharedGet = @(); UnsharedGet = @(); SharedSet = @(); UnsharedSet = @() }
    foreach ($round in 1..$Rounds) {
        $s.SharedGet += Time { Secrets\Get-Secret -Store $team -Name 'app/s00001' -AsPlainText }
        $s.UnsharedGet += Time { Secrets\Get-Secret -Store $personal -Name 'app/s00001' -AsPlainText }
        $s.SharedSet += Time { Secrets\Set-Secret -Store $team -Name 'app/s00001' -Secret "round-$round" }
        $s.UnsharedSet += Time { Secrets\Set-Secret -Store $personal -Name 'app/s00001' -Secret "round-$round" }
    }

    $entries = (Get-ChildItem (Join-Path $team 'log')).Count
    $results.Shared = [ordered]@{ Entries = $entries; SharedGet = Median $s.SharedGet; UnsharedGet = Median $s.UnsharedGet; SharedSet = Median $s.SharedSet; UnsharedSet = Median $s.UnsharedSet }
}

# --- Granting on many secrets through one pipeline ---------------------------------------------------
if ($Grants) {
    $count = [math]::Min(1000, ($Sizes | Measure-Object -Maximum).Maximum)
    $env:SECRETS_HOME = Join-Path $Work "grants-$count"
    Remove-Item -Recurse -Force $env:SECRETS_HOME -ErrorAction Ignore
    $null = New-SecretIdentity -DisplayName owner -NoPassword
    $carol = (New-SecretIdentity -DisplayName carol -NoPassword -Path (Join-Path $env:SECRETS_HOME 'carol.identity')).Recipient
    $team = Join-Path $env:SECRETS_HOME 'team'
    $null = New-SecretStore -Path $team
    $null = Add-SecretStoreMember -Store $team -Name carol -Recipient $carol
    foreach ($i in 1..$count) { Secrets\Set-Secret -Store $team -Name ('app/s{0:D5}' -f $i) -Secret "value-$i" -WarningAction SilentlyContinue }
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $times = [Collections.Generic.List[double]]::new()
    Secrets\Get-SecretInfo -Store $team | Grant-SecretAccess -Member carol -Access Read -PassThru -ProgressAction SilentlyContinue |
        ForEach-Object { $times.Add($watch.Elapsed.TotalMilliseconds) }
    $per = for ($i = 1; $i -lt $times.Count; $i++) { $times[$i] - $times[$i - 1] }
    $results.Grants = [ordered]@{ Count = $count; First = (Median ($per | Select-Object -First 100)); Last = (Median ($per | Select-Object -Last 100)) }
}

# --- Report --------------------------------------------------------------------------------------------
$small = ($Sizes | Measure-Object -Minimum).Minimum
$large = ($Sizes | Measure-Object -Maximum).Maximum
"## Cmdlets ($Rounds rounds, medians; pwsh $($PSVersionTable.PSVersion); $([Environment]::ProcessorCount) cores)"
''
'| operation | ' + (($Sizes | ForEach-Object { '{0:N0} secrets' -f $_ }) -join ' | ') + ' |'
'|---|' + (($Sizes | ForEach-Object { '---:' }) -join '|') + '|'
foreach ($row in @(
        @('Get-SecretInfo, all (Secrets, warm)', 'All'), @('Get-SecretInfo, all, through SecretManagement', 'Sm'), @('Get-SecretInfo, all, SecretStore through SecretManagement', 'SecretStore'),
        @('Get-SecretInfo, all, first call in a new process', 'First'), @('Get-SecretInfo -Name one', 'One'), @('tab completion of a name', 'Complete'), @('Get-Secret -AsPlainText', 'Get'))) {
    '| ' + $row[0] + ' | ' + (($Sizes | ForEach-Object { $v = $results["$_"][$row[1]]; if ($null -eq $v) { 'n/a' } else { Format $v } }) -join ' | ') + ' |'
}

''
'| target | measured | met |'
'|---|---:|---|'
if ($haveSs) {
    # The median of the rounds' ratios: both measured in this process, one after the other, each round.
    $r = $results["$large"].Ratio
    '| Get-SecretInfo of all at {0:N0} through SecretManagement, Secrets / SecretStore, ≤ 2 | {1:N2} | {2} |' -f $large, $r, ($r -le 2)
}
'| first Get-SecretInfo in a new process at {0:N0}, < 500 ms | {1} | {2} |' -f $large, (Format $results["$large"].First), ($results["$large"].First -lt 500)
$r = $results["$large"].One / $results["$small"].One
'| Get-SecretInfo -Name one, {0:N0} / {1:N0}, ≤ 1.2 | {2:N2} | {3} |' -f $large, $small, $r, ($r -le 1.2)
$r = $results["$large"].Complete / $results["$small"].Complete
'| tab completion, {0:N0} / {1:N0}, ≤ 1.2 | {2:N2} | {3} |' -f $large, $small, $r, ($r -le 1.2)
'| Get-Secret at {0:N0}, ≤ 1 ms | {1} | {2} |' -f $large, (Format $results["$large"].Get), ($results["$large"].Get -le 1)
if ($Shared) {
    $x = $results.Shared
    '| Get-Secret, shared store ({0:N0} log entries) / unshared, ≤ 1.5 | {1:N2} | {2} |' -f $x.Entries, ($x.SharedGet / $x.UnsharedGet), (($x.SharedGet / $x.UnsharedGet) -le 1.5)
    '| Set-Secret, shared store ({0:N0} log entries) / unshared, ≤ 1.5 | {1:N2} | {2} |' -f $x.Entries, ($x.SharedSet / $x.UnsharedSet), (($x.SharedSet / $x.UnsharedSet) -le 1.5)
}
if ($Grants) {
    $x = $results.Grants
    '| Grant Read on {0:N0} secrets in one pipeline, last 100 / first 100 per grant, ≤ 1.2 | {1:N2} ({2} / {3}) | {4} |' -f $x.Count, ($x.Last / $x.First), (Format $x.Last), (Format $x.First), (($x.Last / $x.First) -le 1.2)
}
