// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Ownable, Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ICommittee, ISubnet, Resources, Verdict, WeTEE} from "./WeTEE.sol";

/// @title Cloud: workloads, escrow, attested starts, settlement, task runs and secrets.
/// @notice Design notes.
/// - Admin: owner (Ownable2Step) holds the setters and the treasury; hand it to a timelock with
///   `transferOwnership(timelock)` + the timelock's `acceptOwnership()`.
/// - Escrow: a workload's prepayment. A SERVICE pays `pricePerBlock` (fixed at creation from its level) for each
///   settled block; a TASK pays `runPrice` per completed run. The platform fee (basis points, snapshot at
///   creation) goes to the treasury when earnings are claimed.
/// - Lazy accounting (gas): `settle` only advances `lastSettledBlock`; the escrow consumed since `anchorBlock` is
///   `min(escrow, pricePerBlock * (lastSettledBlock - anchorBlock))`. Any other change of funds first folds that
///   consumption into `escrow` ("rebase"). Earnings stay in the workload (`claimable = sweepBase - available`)
///   until the worker pulls them with `withdrawEarnings(ids)`.
/// - Stop: settles nothing extra (blocks since the last proof are not paid), refunds the available escrow and
///   releases capacity. Owner `stop` pushes the refund to the owner (nonReentrant); `stopExhausted` (anyone)
///   credits `refunds[owner]`, pulled with `withdrawRefund()`.
/// - Storage: a workload is four packed slots plus its spec hash (plus one slot for tasks); `settle` reads two
///   slots and writes one.
contract Cloud is Ownable2Step, ReentrancyGuardTransient, EIP712 {
    // ---------------------------------------------------------------- protocol types

    /// @notice Usage proof signed by the instance key (EIP-712 domain "WeTEE Cloud" v1). Do not change.
    struct SettleProof {
        uint64 workloadId;
        uint32 version;
        uint64 fromBlock;
        uint64 toBlock;
        bytes32 logsRoot;
        bytes32 metricsRoot;
    }

    /// @notice Task run result signed by the instance key (EIP-712 domain "WeTEE Cloud" v1). Do not change.
    struct RunResult {
        uint64 workloadId;
        uint32 version;
        uint64 runId;
        int32 exitCode;
        bytes32 resultHash;
        bytes32 logsHash;
    }

    bytes32 public constant SETTLE_PROOF_TYPEHASH = keccak256(
        "SettleProof(uint64 workloadId,uint32 version,uint64 fromBlock,uint64 toBlock,bytes32 logsRoot,bytes32 metricsRoot)"
    );
    bytes32 public constant RUN_RESULT_TYPEHASH = keccak256(
        "RunResult(uint64 workloadId,uint32 version,uint64 runId,int32 exitCode,bytes32 resultHash,bytes32 logsHash)"
    );

    uint8 public constant KIND_SERVICE = 0;
    uint8 public constant KIND_TASK = 1;

    /// @notice View status codes.
    uint8 public constant STATUS_PENDING = 0;
    uint8 public constant STATUS_RUNNING = 1;
    uint8 public constant STATUS_STOPPED = 2;

    /// @notice `nextRunAt` value meaning "no run scheduled".
    uint48 public constant NO_RUN = type(uint48).max;

    /// @notice Parameters of `create`. Resources: cpu milli-cores, memory MiB, disk GiB, gpu units.
    /// `runPrice` and `everyBlocks` (0 = run once) apply to TASK workloads only.
    struct CreateParams {
        uint64 workerId;
        uint8 kind;
        uint8 teeTypes;
        bool allowDebug;
        uint16 levelId;
        uint16 regionId;
        uint32 cpu;
        uint32 mem;
        uint32 disk;
        uint16 gpu;
        uint96 runPrice;
        uint32 everyBlocks;
    }

    /// @notice Everything known about a workload. `escrow` is the available escrow as of `lastSettledBlock`.
    struct WorkloadView {
        uint64 id;
        address owner;
        uint64 workerId;
        uint8 kind;
        uint8 status;
        uint8 teeTypes;
        bool allowDebug;
        uint16 levelId;
        uint16 regionId;
        uint32 cpu;
        uint32 mem;
        uint32 disk;
        uint16 gpu;
        uint32 version;
        bytes32 specHash;
        address instance;
        uint64 lastSettledBlock;
        uint64 verdictExpiresAt;
        uint256 pricePerBlock;
        uint256 escrow;
        uint256 claimable;
        uint16 feeBps;
        uint256 runPrice;
        uint32 everyBlocks;
        uint64 nextRunAt;
        uint64 nextRunId;
        string name;
    }

    // ---------------------------------------------------------------- storage types

    struct Core {
        address owner;
        uint32 workerId;
        uint8 kind;
        uint8 teeTypes;
        bool allowDebug;
        uint16 levelId;
        uint16 regionId;
    }

    /// @dev The running instance (zero while pending or stopped), the current version (>= 1 once created) and the
    /// stopped flag: everything `settle` needs, and the workload's lifecycle state, in one slot.
    struct Run {
        address instance;
        uint40 lastSettledBlock;
        uint32 verdictExpiry;
        uint16 version;
        bool stopped;
    }

    struct Funds {
        uint96 escrow;
        uint80 pricePerBlock;
        uint40 anchorBlock;
    }

    struct Alloc {
        uint96 sweepBase;
        uint32 cpu;
        uint32 mem;
        uint32 disk;
        uint16 gpu;
        uint16 feeBps;
    }

    struct Task {
        uint96 runPrice;
        uint32 everyBlocks;
        uint48 nextRunAt;
        uint64 nextRunId;
    }

    struct Workload {
        Core core;
        Run run;
        Funds funds;
        Alloc alloc;
        bytes32 specHash;
    }

    struct Params {
        uint64 nextWorkloadId;
        uint48 settleInterval;
        uint16 feeBps;
        uint128 treasury;
    }

    struct Secret {
        bytes32 hash;
        uint32 version;
        bool exists;
    }

    // ---------------------------------------------------------------- errors

    error UnknownWorkload(uint64 workloadId);
    error WorkloadIsStopped(uint64 workloadId);
    error NotWorkloadOwner(uint64 workloadId);
    error NotAssignedWorker(uint64 workloadId);
    error InvalidKind(uint8 kind);
    error InvalidTeeTypes(uint8 teeTypes);
    error InvalidRunPrice();
    error EmptySpec();
    error ZeroValue();
    error AmountTooLarge();
    error PriceTooLarge(uint256 pricePerBlock);
    error InvalidInstance();
    error WrongVersion(uint32 expected, uint32 given);
    error TooManyVersions();
    error VerdictMismatch();
    error VerdictExpired();
    error StaleVerdict();
    error TeeTypeNotAllowed(uint8 teeType);
    error TcbRevoked();
    error InvalidTcbStatus(uint8 tcbStatus);
    error InvalidVerdicts();
    error NotRunning(uint64 workloadId);
    error WrongFromBlock(uint64 expected, uint64 given);
    error InvalidBlockRange(uint64 fromBlock, uint64 toBlock);
    error InvalidInstanceSignature(address signer);
    error NotExhausted(uint64 workloadId);
    error NotTask(uint64 workloadId);
    error WrongRunId(uint64 expected, uint64 given);
    error RunNotDue(uint64 dueAt);
    error RunAlreadyDue(uint64 workloadId);
    error InvalidSecretName();
    error EmptyCiphertext();
    error SecretExists();
    error UnknownSecret();
    error NothingToWithdraw();
    error AmountExceedsTreasury(uint256 amount, uint256 treasury);
    error InvalidBps(uint16 bps);
    error InvalidInterval();
    error InvalidAddress();
    error TransferFailed();
    error RenounceDisabled();

    // ---------------------------------------------------------------- events

    event SettleIntervalSet(uint64 blocks);
    event FeeBpsSet(uint16 bps);

    /// @notice A new workload (version 1); its capacity (cpu milli-cores, memory MiB, disk GiB, gpu units) is now
    /// reserved on the worker. `spec` is the canonical JSON, `specHash` its keccak256.
    event WorkloadCreated(
        uint64 indexed workloadId,
        address indexed owner,
        uint64 indexed workerId,
        uint8 kind,
        uint8 teeTypes,
        bool allowDebug,
        uint16 levelId,
        uint16 regionId,
        uint32 cpu,
        uint32 mem,
        uint32 disk,
        uint16 gpu,
        uint256 pricePerBlock,
        uint256 escrow,
        bytes32 specHash,
        bytes spec
    );
    /// @notice The owner updated the spec: new `version`, canonical JSON bytes and their keccak256. The workload
    /// waits for a `start` of this version.
    event WorkloadUpdated(uint64 indexed workloadId, uint32 version, bytes32 specHash, bytes spec);
    event WorkloadSettings(uint64 indexed workloadId, string name);
    event Recharged(uint64 indexed workloadId, address indexed from, uint256 amount, uint256 escrow);
    /// @notice `byOwner` false = stopped as exhausted (refund credited to `refunds[owner]`). The workload's
    /// capacity is released on its worker.
    event WorkloadStopped(uint64 indexed workloadId, uint256 refund, bool byOwner);
    event Started(
        uint64 indexed workloadId,
        uint32 version,
        address indexed instance,
        uint8 teeType,
        bytes32 measurementHash,
        uint8 tcbStatus,
        uint64 expiresAt
    );
    event Reattested(uint64 indexed workloadId, uint32 version, address indexed instance, bytes32 measurementHash, uint64 expiresAt);
    /// @notice A usage proof was accepted: the worker earned `pricePerBlock * (toBlock - fromBlock)`, capped by the
    /// escrow left (see `claimable`).
    /// The proof's version is the current one (see `Started`/`WorkloadUpdated`), so it is not repeated here.
    event Settled(uint64 indexed workloadId, uint64 fromBlock, uint64 toBlock, bytes32 logsRoot, bytes32 metricsRoot);
    event TaskScheduled(uint64 indexed workloadId, uint256 runPrice, uint32 everyBlocks);
    event RunScheduled(uint64 indexed workloadId, uint64 runId, uint64 atBlock);
    event RunCompleted(
        uint64 indexed workloadId,
        uint32 version,
        uint64 indexed runId,
        int32 exitCode,
        bytes32 resultHash,
        bytes32 logsHash,
        uint256 amount
    );
    event EarningsClaimed(uint64 indexed workloadId, uint64 indexed workerId, address indexed account, uint256 amount, uint256 fee);
    event SecretPut(address indexed owner, string name, uint32 version, bytes32 ciphertextHash, bytes ciphertext);
    event SecretDeleted(address indexed owner, string name, uint32 version);
    event RefundWithdrawn(address indexed account, uint256 amount);
    event TreasuryWithdrawn(address indexed to, uint256 amount);

    // ---------------------------------------------------------------- storage

    ISubnet public immutable subnet;
    ICommittee public immutable committee;

    Params internal _params;
    mapping(uint64 => Workload) internal _workloads;
    mapping(uint64 => Task) internal _tasks;
    mapping(uint64 => string) internal _names;
    mapping(bytes32 => Secret) internal _secrets;
    /// @notice Refunds of workloads stopped as exhausted, pulled with `withdrawRefund()`.
    mapping(address account => uint256) public refunds;

    constructor(ISubnet subnet_, ICommittee committee_, address admin) Ownable(admin) EIP712("WeTEE Cloud", "1") {
        if (address(subnet_) == address(0) || address(committee_) == address(0)) revert InvalidAddress();
        subnet = subnet_;
        committee = committee_;
    }

    // ---------------------------------------------------------------- admin

    /// @notice Ownership is handed over (to a timelock), never renounced.
    function renounceOwnership() public view override onlyOwner {
        revert RenounceDisabled();
    }

    /// @notice Blocks a service's escrow must cover for it not to be stoppable as exhausted.
    function setSettleInterval(uint48 blocks) external onlyOwner {
        if (blocks == 0) revert InvalidInterval();
        _params.settleInterval = blocks;
        emit SettleIntervalSet(blocks);
    }

    /// @notice Platform fee in basis points for workloads created afterwards.
    function setFeeBps(uint16 bps) external onlyOwner {
        if (bps > WeTEE.BPS) revert InvalidBps(bps);
        _params.feeBps = bps;
        emit FeeBpsSet(bps);
    }

    function withdrawTreasury(address to, uint256 amount) external onlyOwner nonReentrant {
        if (to == address(0)) revert InvalidAddress();
        uint128 treasury = _params.treasury;
        if (amount > treasury) revert AmountExceedsTreasury(amount, treasury);
        _params.treasury = treasury - uint128(amount);
        emit TreasuryWithdrawn(to, amount);
        _send(to, amount);
    }

    // ---------------------------------------------------------------- owner

    /// @notice Creates a workload on `p.workerId` with `msg.value` as escrow; reserves its capacity on Subnet.
    function create(CreateParams calldata p, bytes calldata spec) external payable returns (uint64 workloadId) {
        if (p.kind > KIND_TASK) revert InvalidKind(p.kind);
        if (p.teeTypes == 0 || p.teeTypes & ~WeTEE.TEE_MASK != 0) revert InvalidTeeTypes(p.teeTypes);
        if (spec.length == 0) revert EmptySpec();
        if (msg.value == 0) revert ZeroValue();
        if (msg.value > type(uint96).max) revert AmountTooLarge();
        bool isTask = p.kind == KIND_TASK;
        if (isTask && p.runPrice == 0) revert InvalidRunPrice();

        uint256 price = subnet.reserve(
            p.workerId, p.levelId, p.regionId, p.teeTypes, Resources(p.cpu, p.mem, p.disk, p.gpu)
        );
        if (price > type(uint80).max) revert PriceTooLarge(price);
        if (isTask) price = 0; // tasks pay per run

        Params memory params = _params;
        workloadId = params.nextWorkloadId;
        _params.nextWorkloadId = workloadId + 1;

        Workload storage w = _workloads[workloadId];
        w.core = Core({
            owner: msg.sender,
            workerId: uint32(p.workerId),
            kind: p.kind,
            teeTypes: p.teeTypes,
            allowDebug: p.allowDebug,
            levelId: p.levelId,
            regionId: p.regionId
        });
        w.run = Run({instance: address(0), lastSettledBlock: 0, verdictExpiry: 0, version: 1, stopped: false});
        w.funds = Funds({escrow: uint96(msg.value), pricePerBlock: uint80(price), anchorBlock: 0});
        w.alloc = Alloc({
            sweepBase: uint96(msg.value),
            cpu: p.cpu,
            mem: p.mem,
            disk: p.disk,
            gpu: p.gpu,
            feeBps: params.feeBps
        });
        bytes32 specHash = keccak256(spec);
        w.specHash = specHash;

        _emitCreated(workloadId, p, price, specHash, spec);
        if (isTask) {
            _tasks[workloadId] = Task({runPrice: p.runPrice, everyBlocks: p.everyBlocks, nextRunAt: 0, nextRunId: 0});
            emit TaskScheduled(workloadId, p.runPrice, p.everyBlocks);
            emit RunScheduled(workloadId, 0, uint64(block.number));
        }
    }

    /// @notice New spec: version + 1; the running instance (if any) is dropped and the workload waits for a
    /// `start` of the new version. Blocks since the last settlement of the old version are not paid.
    function update(uint64 workloadId, bytes calldata spec) external {
        Workload storage w = _ownActive(workloadId);
        if (spec.length == 0) revert EmptySpec();
        Run memory r = w.run;
        if (r.version == type(uint16).max) revert TooManyVersions();
        uint16 version = r.version + 1;
        Funds memory f = w.funds;
        f.escrow = _available(r, f);
        f.anchorBlock = 0;
        w.funds = f;
        w.run = Run({instance: address(0), lastSettledBlock: 0, verdictExpiry: 0, version: version, stopped: false});
        bytes32 specHash = keccak256(spec);
        w.specHash = specHash;
        emit WorkloadUpdated(workloadId, version, specHash, spec);
    }

    /// @notice Sets the workload's display name.
    function settings(uint64 workloadId, string calldata name) external {
        _ownActive(workloadId);
        _names[workloadId] = name;
        emit WorkloadSettings(workloadId, name);
    }

    /// @notice Adds `msg.value` to the escrow (anyone may pay).
    function recharge(uint64 workloadId) external payable {
        Workload storage w = _active(workloadId);
        if (msg.value == 0) revert ZeroValue();
        Run memory r = w.run;
        Funds memory f = w.funds;
        uint256 escrow = uint256(_available(r, f)) + msg.value;
        uint256 sweepBase = uint256(w.alloc.sweepBase) + msg.value;
        if (sweepBase > type(uint96).max) revert AmountTooLarge();
        f.escrow = uint96(escrow);
        f.anchorBlock = r.lastSettledBlock;
        w.funds = f;
        w.alloc.sweepBase = uint96(sweepBase);
        emit Recharged(workloadId, msg.sender, msg.value, escrow);
    }

    /// @notice Stops the workload: no extra settlement, the available escrow is sent to the owner, capacity is
    /// released.
    function stop(uint64 workloadId) external nonReentrant {
        Workload storage w = _ownActive(workloadId);
        uint256 refund = _finish(workloadId, w, true);
        _send(msg.sender, refund);
    }

    /// @notice Anyone may stop a workload whose escrow cannot pay the next settle interval (a service) or the
    /// next run (a task). The available escrow is credited to `refunds[owner]`.
    function stopExhausted(uint64 workloadId) external {
        Workload storage w = _active(workloadId);
        Run memory r = w.run;
        Funds memory f = w.funds;
        uint256 available = _available(r, f);
        bool exhausted;
        if (w.core.kind == KIND_TASK) {
            exhausted = available < _tasks[workloadId].runPrice;
        } else {
            uint256 unsettled = r.instance == address(0) ? 0 : uint256(f.pricePerBlock) * (block.number - r.lastSettledBlock);
            uint256 remaining = available > unsettled ? available - unsettled : 0;
            exhausted = remaining < uint256(f.pricePerBlock) * _params.settleInterval;
        }
        if (!exhausted) revert NotExhausted(workloadId);
        address owner_ = w.core.owner;
        uint256 refund = _finish(workloadId, w, false);
        if (refund != 0) refunds[owner_] += refund;
    }

    /// @notice Schedules another run of a task now.
    function rerun(uint64 workloadId) external {
        Workload storage w = _ownActive(workloadId);
        if (w.core.kind != KIND_TASK) revert NotTask(workloadId);
        Task storage t = _tasks[workloadId];
        if (t.nextRunAt <= block.number) revert RunAlreadyDue(workloadId);
        t.nextRunAt = uint48(block.number);
        emit RunScheduled(workloadId, t.nextRunId, uint64(block.number));
    }

    // ---------------------------------------------------------------- worker

    /// @notice Records an attested instance of `version`: called by the assigned worker's account with a verdict
    /// set of the committee for exactly this workload, version and instance. Replaces a previous instance.
    function start(uint64 workloadId, uint32 version, address instance, Verdict calldata verdict, bytes[] calldata sigs)
        external
    {
        Workload storage w = _active(workloadId);
        Core memory c = w.core;
        if (subnet.workerAccount(c.workerId) != msg.sender) revert NotAssignedWorker(workloadId);
        Run memory r = w.run;
        if (version != r.version) revert WrongVersion(r.version, version);
        if (instance == address(0)) revert InvalidInstance();
        if (verdict.workloadId != workloadId || verdict.version != version || verdict.instance != instance) {
            revert VerdictMismatch();
        }
        _checkVerdict(c.teeTypes, verdict, sigs);

        Funds memory f = w.funds;
        f.escrow = _available(r, f);
        f.anchorBlock = uint40(block.number);
        w.funds = f;
        w.run = Run({
            instance: instance,
            lastSettledBlock: uint40(block.number),
            verdictExpiry: _expiry32(verdict.expiresAt),
            version: r.version,
            stopped: false
        });
        emit Started(
            workloadId, version, instance, verdict.teeType, verdict.measurementHash, verdict.tcbStatus, verdict.expiresAt
        );
    }

    /// @notice Extends the verdict expiry of the current instance before it expires (anyone may submit).
    function reattest(uint64 workloadId, Verdict calldata verdict, bytes[] calldata sigs) external {
        Workload storage w = _active(workloadId);
        Run memory r = w.run;
        if (r.instance == address(0)) revert NotRunning(workloadId);
        uint32 version = r.version;
        if (verdict.workloadId != workloadId || verdict.version != version || verdict.instance != r.instance) {
            revert VerdictMismatch();
        }
        if (block.timestamp >= r.verdictExpiry) revert VerdictExpired();
        uint32 expiry = _expiry32(verdict.expiresAt);
        if (expiry <= r.verdictExpiry) revert StaleVerdict();
        _checkVerdict(w.core.teeTypes, verdict, sigs);
        w.run.verdictExpiry = expiry;
        emit Reattested(workloadId, version, r.instance, verdict.measurementHash, verdict.expiresAt);
    }

    /// @notice Pays the worker for blocks `fromBlock..toBlock` (fromBlock = lastSettledBlock) at the workload's
    /// price, capped by the escrow. Signed by the current instance; refused once the verdicts have expired.
    function settle(SettleProof calldata p, bytes calldata instanceSignature) external {
        uint64 workloadId = p.workloadId;
        uint64 fromBlock = p.fromBlock;
        uint64 toBlock = p.toBlock;
        Run storage run = _workloads[workloadId].run;
        // Hot path: one SLOAD of the packed Run slot, fields extracted by hand (layout of struct Run).
        uint256 word;
        assembly ("memory-safe") {
            word := sload(run.slot)
        }
        address instance = address(uint160(word));
        uint64 lastSettled = uint64((word >> 160) & type(uint40).max);
        if (instance == address(0)) revert NotRunning(workloadId);
        uint32 version = uint32((word >> 232) & type(uint16).max);
        if (p.version != version) revert WrongVersion(version, p.version);
        if (fromBlock != lastSettled) revert WrongFromBlock(lastSettled, fromBlock);
        if (toBlock <= fromBlock || toBlock > block.number) revert InvalidBlockRange(fromBlock, toBlock);
        if (block.timestamp >= (word >> 200) & type(uint32).max) revert VerdictExpired();

        bytes32 typeHash = SETTLE_PROOF_TYPEHASH;
        bytes32 structHash;
        assembly ("memory-safe") {
            // keccak256(typeHash || the six static words of p): the EIP-712 struct hash without re-encoding.
            let ptr := mload(0x40)
            mstore(ptr, typeHash)
            calldatacopy(add(ptr, 0x20), p, 0xc0)
            structHash := keccak256(ptr, 0xe0)
        }
        _checkInstanceSignature(structHash, instanceSignature, instance);
        // Payment is lazy: advancing lastSettledBlock is what moves price * blocks from escrow to the worker.
        word = (word & ~(uint256(type(uint40).max) << 160)) | (uint256(toBlock) << 160);
        assembly ("memory-safe") {
            sstore(run.slot, word)
        }
        emit Settled(workloadId, fromBlock, toBlock, p.logsRoot, p.metricsRoot);
    }

    function _checkInstanceSignature(bytes32 structHash, bytes calldata signature, address instance) internal view {
        address signer = ECDSA.recoverCalldata(_hashTypedDataV4(structHash), signature);
        if (signer != instance) revert InvalidInstanceSignature(signer);
    }

    /// @notice Pays a task run (capped by the escrow), signed by the current instance.
    function completeRun(RunResult calldata res, bytes calldata instanceSignature) external {
        uint64 workloadId = res.workloadId;
        Workload storage w = _workloads[workloadId];
        Run memory r = w.run;
        Funds memory f = w.funds;
        if (r.instance == address(0)) revert NotRunning(workloadId);
        if (w.core.kind != KIND_TASK) revert NotTask(workloadId);
        if (res.version != r.version) revert WrongVersion(r.version, res.version);
        if (block.timestamp >= r.verdictExpiry) revert VerdictExpired();
        _checkInstanceSignature(keccak256(abi.encode(RUN_RESULT_TYPEHASH, res)), instanceSignature, r.instance);

        (uint256 amount, uint48 next) = _payRun(workloadId, w, r, f, res.runId);
        emit RunCompleted(workloadId, res.version, res.runId, res.exitCode, res.resultHash, res.logsHash, amount);
        if (next != NO_RUN) emit RunScheduled(workloadId, res.runId + 1, next);
    }

    /// @dev Checks the run is the due one, pays it from the escrow and schedules the next one.
    function _payRun(uint64 workloadId, Workload storage w, Run memory r, Funds memory f, uint64 runId)
        internal
        returns (uint256, uint48)
    {
        Task memory t = _tasks[workloadId];
        if (runId != t.nextRunId) revert WrongRunId(t.nextRunId, runId);
        if (block.number < t.nextRunAt) revert RunNotDue(t.nextRunAt);

        uint96 available = _available(r, f);
        uint96 amount = t.runPrice < available ? t.runPrice : available;
        f.escrow = available - amount;
        f.anchorBlock = r.lastSettledBlock;
        w.funds = f;

        uint48 next = NO_RUN;
        if (t.everyBlocks != 0) {
            next = t.nextRunAt + t.everyBlocks;
            if (next <= block.number) next = uint48(block.number) + t.everyBlocks;
        }
        t.nextRunId = runId + 1;
        t.nextRunAt = next;
        _tasks[workloadId] = t;
        return (amount, next);
    }

    /// @notice Pays the caller (the assigned worker's account) what the listed workloads earned so far, less each
    /// workload's platform fee, which goes to the treasury.
    function withdrawEarnings(uint64[] calldata workloadIds) external nonReentrant {
        uint256 total;
        uint256 fees;
        uint32 cachedWorker = type(uint32).max;
        for (uint256 i; i < workloadIds.length; ++i) {
            uint64 id = workloadIds[i];
            Workload storage w = _workloads[id];
            Core memory c = w.core;
            if (c.owner == address(0)) revert UnknownWorkload(id);
            if (c.workerId != cachedWorker) {
                if (subnet.workerAccount(c.workerId) != msg.sender) revert NotAssignedWorker(id);
                cachedWorker = c.workerId;
            }
            Alloc memory a = w.alloc;
            uint96 available = _available(w.run, w.funds);
            uint256 claim = a.sweepBase - available;
            if (claim == 0) continue;
            uint256 fee = (claim * a.feeBps) / WeTEE.BPS;
            w.alloc.sweepBase = available;
            total += claim - fee;
            fees += fee;
            emit EarningsClaimed(id, c.workerId, msg.sender, claim - fee, fee);
        }
        if (total + fees == 0) revert NothingToWithdraw();
        _params.treasury += uint128(fees);
        _send(msg.sender, total);
    }

    // ---------------------------------------------------------------- secrets

    /// @notice Stores a new secret `name` of the caller (version = previous version + 1, starting at 1).
    function putSecret(string calldata name, bytes calldata ciphertext) external {
        Secret storage s = _secretFor(name, ciphertext);
        if (s.exists) revert SecretExists();
        s.exists = true;
        _writeSecret(s, name, ciphertext);
    }

    /// @notice Replaces an existing secret of the caller (version + 1).
    function rotateSecret(string calldata name, bytes calldata ciphertext) external {
        Secret storage s = _secretFor(name, ciphertext);
        if (!s.exists) revert UnknownSecret();
        _writeSecret(s, name, ciphertext);
    }

    /// @notice Deletes a secret of the caller; a later `putSecret` continues the version numbering.
    function deleteSecret(string calldata name) external {
        Secret storage s = _secrets[secretKey(msg.sender, name)];
        if (!s.exists) revert UnknownSecret();
        s.exists = false;
        s.hash = bytes32(0);
        emit SecretDeleted(msg.sender, name, s.version);
    }

    // ---------------------------------------------------------------- payments

    /// @notice Pays the caller's refund balance.
    function withdrawRefund() external nonReentrant {
        uint256 amount = refunds[msg.sender];
        if (amount == 0) revert NothingToWithdraw();
        refunds[msg.sender] = 0;
        emit RefundWithdrawn(msg.sender, amount);
        _send(msg.sender, amount);
    }

    // ---------------------------------------------------------------- views

    function getWorkload(uint64 workloadId) external view returns (WorkloadView memory v) {
        Workload storage w = _workloads[workloadId];
        Core memory c = w.core;
        if (c.owner == address(0)) revert UnknownWorkload(workloadId);
        Run memory r = w.run;
        Funds memory f = w.funds;
        Alloc memory a = w.alloc;
        v.id = workloadId;
        v.owner = c.owner;
        v.workerId = c.workerId;
        v.kind = c.kind;
        v.status = r.stopped ? STATUS_STOPPED : (r.instance == address(0) ? STATUS_PENDING : STATUS_RUNNING);
        v.teeTypes = c.teeTypes;
        v.allowDebug = c.allowDebug;
        v.levelId = c.levelId;
        v.regionId = c.regionId;
        v.cpu = a.cpu;
        v.mem = a.mem;
        v.disk = a.disk;
        v.gpu = a.gpu;
        v.version = r.version;
        v.specHash = w.specHash;
        v.instance = r.instance;
        v.lastSettledBlock = r.lastSettledBlock;
        v.verdictExpiresAt = r.verdictExpiry;
        v.pricePerBlock = f.pricePerBlock;
        uint96 available = _available(r, f);
        v.escrow = available;
        v.claimable = a.sweepBase - available;
        v.feeBps = a.feeBps;
        if (c.kind == KIND_TASK) {
            Task memory t = _tasks[workloadId];
            v.runPrice = t.runPrice;
            v.everyBlocks = t.everyBlocks;
            v.nextRunAt = t.nextRunAt;
            v.nextRunId = t.nextRunId;
        }
        v.name = _names[workloadId];
    }

    /// @notice Price of a workload: per block (services) and per run (tasks).
    function priceOf(uint64 workloadId) external view returns (uint256 pricePerBlock, uint256 runPrice) {
        Workload storage w = _workloads[workloadId];
        if (w.core.owner == address(0)) revert UnknownWorkload(workloadId);
        return (w.funds.pricePerBlock, _tasks[workloadId].runPrice);
    }

    /// @notice Available escrow as of the last settlement.
    function escrowOf(uint64 workloadId) external view returns (uint256) {
        Workload storage w = _workloads[workloadId];
        return _available(w.run, w.funds);
    }

    /// @notice What the worker can claim from this workload (before the platform fee).
    function claimable(uint64 workloadId) external view returns (uint256) {
        Workload storage w = _workloads[workloadId];
        return w.alloc.sweepBase - _available(w.run, w.funds);
    }

    function getSecret(address owner_, string calldata name)
        external
        view
        returns (bytes32 ciphertextHash, uint32 version, bool exists)
    {
        Secret memory s = _secrets[secretKey(owner_, name)];
        return (s.hash, s.version, s.exists);
    }

    function secretKey(address owner_, string calldata name) public pure returns (bytes32) {
        return keccak256(abi.encode(owner_, name));
    }

    function nextWorkloadId() external view returns (uint64) {
        return _params.nextWorkloadId;
    }

    function settleInterval() external view returns (uint48) {
        return _params.settleInterval;
    }

    function feeBps() external view returns (uint16) {
        return _params.feeBps;
    }

    function treasuryBalance() external view returns (uint256) {
        return _params.treasury;
    }

    /// @notice The EIP-712 digest the instance signs for `p`.
    function settleProofDigest(SettleProof calldata p) external view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(SETTLE_PROOF_TYPEHASH, p)));
    }

    /// @notice The EIP-712 digest the instance signs for `res`.
    function runResultDigest(RunResult calldata res) external view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(RUN_RESULT_TYPEHASH, res)));
    }

    function domainSeparator() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    // ---------------------------------------------------------------- internals

    function _active(uint64 workloadId) internal view returns (Workload storage w) {
        w = _workloads[workloadId];
        Run storage r = w.run;
        if (r.version == 0) revert UnknownWorkload(workloadId);
        if (r.stopped) revert WorkloadIsStopped(workloadId);
    }

    function _ownActive(uint64 workloadId) internal view returns (Workload storage w) {
        w = _active(workloadId);
        if (w.core.owner != msg.sender) revert NotWorkloadOwner(workloadId);
    }

    function _emitCreated(
        uint64 workloadId,
        CreateParams calldata p,
        uint256 pricePerBlock,
        bytes32 specHash,
        bytes calldata spec
    ) internal {
        emit WorkloadCreated(
            workloadId,
            msg.sender,
            p.workerId,
            p.kind,
            p.teeTypes,
            p.allowDebug,
            p.levelId,
            p.regionId,
            p.cpu,
            p.mem,
            p.disk,
            p.gpu,
            pricePerBlock,
            msg.value,
            specHash,
            spec
        );
    }

    /// @dev Escrow left after the blocks settled since `anchorBlock`.
    function _available(Run memory r, Funds memory f) internal pure returns (uint96) {
        if (r.instance == address(0)) return f.escrow;
        uint256 consumed = uint256(f.pricePerBlock) * (r.lastSettledBlock - f.anchorBlock);
        return consumed >= f.escrow ? 0 : f.escrow - uint96(consumed);
    }

    function _checkVerdict(uint8 allowedTeeTypes, Verdict calldata verdict, bytes[] calldata sigs) internal view {
        if (verdict.teeType > WeTEE.TEE_SEV_SNP || (allowedTeeTypes >> verdict.teeType) & 1 == 0) {
            revert TeeTypeNotAllowed(verdict.teeType);
        }
        if (verdict.tcbStatus == WeTEE.TCB_REVOKED) revert TcbRevoked();
        if (verdict.tcbStatus > WeTEE.TCB_REVOKED) revert InvalidTcbStatus(verdict.tcbStatus);
        if (verdict.expiresAt <= block.timestamp) revert VerdictExpired();
        if (!committee.verify(verdict, sigs)) revert InvalidVerdicts();
    }

    /// @dev Marks the workload stopped, refunds the available escrow (returned), releases capacity.
    function _finish(uint64 workloadId, Workload storage w, bool byOwner) internal returns (uint256 refund) {
        Run memory r = w.run;
        Funds memory f = w.funds;
        uint96 available = _available(r, f);
        w.run = Run({instance: address(0), lastSettledBlock: 0, verdictExpiry: 0, version: r.version, stopped: true});
        delete w.funds; // nothing left to pay from; clearing the slot earns a gas refund
        Alloc memory a = w.alloc;
        w.alloc.sweepBase = a.sweepBase - available;
        emit WorkloadStopped(workloadId, available, byOwner);
        subnet.release(w.core.workerId, Resources(a.cpu, a.mem, a.disk, a.gpu));
        return available;
    }

    function _secretFor(string calldata name, bytes calldata ciphertext) internal view returns (Secret storage) {
        if (bytes(name).length == 0) revert InvalidSecretName();
        if (ciphertext.length == 0) revert EmptyCiphertext();
        return _secrets[secretKey(msg.sender, name)];
    }

    function _writeSecret(Secret storage s, string calldata name, bytes calldata ciphertext) internal {
        uint32 version = s.version + 1;
        bytes32 hash = keccak256(ciphertext);
        s.version = version;
        s.hash = hash;
        emit SecretPut(msg.sender, name, version, hash, ciphertext);
    }

    /// @dev Unix seconds fit uint32 until 2106; later expiries are clamped.
    function _expiry32(uint64 expiresAt) internal pure returns (uint32) {
        return expiresAt > type(uint32).max ? type(uint32).max : uint32(expiresAt);
    }

    function _send(address to, uint256 amount) internal {
        if (amount == 0) return;
        (bool ok,) = to.call{value: amount}("");
        if (!ok) revert TransferFailed();
    }
}
