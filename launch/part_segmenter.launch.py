"""Launch the RosPartSeg part segmenter node.

ros2 launch rospartseg part_segmenter.launch.py image:=/camera/image_raw namespace:=robot
ros2 launch rospartseg part_segmenter.launch.py rviz:=true   # also opens RViz2 with config/part_segmenter.rviz
"""

import os

from ament_index_python.packages import PackageNotFoundError, get_package_prefix, get_package_share_directory
from launch import LaunchDescription
from launch.actions import DeclareLaunchArgument, OpaqueFunction
from launch.substitutions import LaunchConfiguration
from launch_ros.actions import Node


# The topics config/part_segmenter.rviz shows, under the default namespace and node name.
RVIZ_TOPICS = ('overlay', 'color_mask', 'markers')


def _rviz(context, share):
    """rviz2 with the package's view, its topics remapped to the launched node's namespace and name."""
    if context.launch_configurations['rviz'].lower() not in ('true', '1', 'yes'):
        return []
    # Checked before the node starts (this action comes first): a launch that fails while the node is still
    # starting leaves it running without a parent (seen on Jazzy).
    try:
        get_package_prefix('rviz2')
    except PackageNotFoundError:
        raise RuntimeError("rviz:=true needs RViz 2, which is not installed (apt install ros-$ROS_DISTRO-rviz2), "
                           "or launch without rviz:=true") from None
    parts = [p for p in context.launch_configurations['namespace'].split('/') if p]
    prefix = '/' + '/'.join(parts + [context.launch_configurations['node_name']])
    remappings = [('/part_segmenter/' + t, prefix + '/' + t) for t in RVIZ_TOPICS if prefix != '/part_segmenter']
    return [Node(
        package='rviz2',
        executable='rviz2',
        name='rviz2',
        arguments=['-d', os.path.join(share, 'config', 'part_segmenter.rviz')],
        remappings=remappings,
        output='screen',
    )]


def generate_launch_description():
    share = get_package_share_directory('rospartseg')
    default_params = os.path.join(share, 'config', 'part_segmenter.params.yaml')
    return LaunchDescription([
        DeclareLaunchArgument('image', default_value='image',
                              description='input image topic (remaps the relative name "image")'),
        DeclareLaunchArgument('namespace', default_value='', description='node namespace'),
        DeclareLaunchArgument('node_name', default_value='part_segmenter', description='node name'),
        DeclareLaunchArgument('params_file', default_value=default_params,
                              description='ROS 2 parameters YAML (see docs/node.md)'),
        DeclareLaunchArgument('input_reliability', default_value='best_effort',
                              description='best_effort (matches every camera) or reliable'),
        DeclareLaunchArgument('rviz', default_value='false',
                              description='true: also start rviz2 with config/part_segmenter.rviz (overlay, colour mask, 3D part markers)'),
        OpaqueFunction(function=_rviz, args=[share]),
        Node(
            package='rospartseg',
            executable='part_segmenter',
            name=LaunchConfiguration('node_name'),
            namespace=LaunchConfiguration('namespace'),
            parameters=[LaunchConfiguration('params_file'),
                        {'input_reliability': LaunchConfiguration('input_reliability')}],
            remappings=[('image', LaunchConfiguration('image')),
                        ('image/compressed', [LaunchConfiguration('image'), '/compressed'])],
            output='screen',
            # The node writes plain lines (no colours); on a pseudo-terminal the .NET runtime adds keypad escape
            # sequences and CRs to the output, so the launch output stays a pipe.
            emulate_tty=False,
        ),
    ])
