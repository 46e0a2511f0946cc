// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @dev Test-only account contract: forwards calls and, unless told otherwise, rejects incoming ether, so tests
/// can exercise TransferFailed paths.
contract ForwardingAccount {
    bool public acceptEther;

    function setAcceptEther(bool accept) external {
        acceptEther = accept;
    }

    function forward(address target, bytes calldata data) external payable returns (bytes memory) {
        (bool ok, bytes memory ret) = target.call{value: msg.value}(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(ret, 0x20), mload(ret))
            }
        }
        return ret;
    }

    receive() external payable {
        require(acceptEther, "rejects ether");
    }
}
